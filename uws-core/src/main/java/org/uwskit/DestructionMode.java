package org.uwskit;

/** What happens to a job at its destruction time (UWS 1.1 §2.1.5). */
public enum DestructionMode {
    /** The job, its results and uploads are deleted; later requests get 404. */
    DELETE,
    /** The job goes to ARCHIVED: results and uploads are deleted, the metadata is kept. */
    ARCHIVE
}
