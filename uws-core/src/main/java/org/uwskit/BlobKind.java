package org.uwskit;

/** The two kinds of bytes a job owns in result storage: its results and its inline uploads. */
public enum BlobKind {
    RESULT, UPLOAD
}
