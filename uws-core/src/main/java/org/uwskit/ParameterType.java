package org.uwskit;

/** The type of a declared job parameter; values are parsed and checked by {@link ParameterDefinition}. */
public enum ParameterType {
    /** Any text. */
    STRING,
    /** A 64-bit integer (decimal). */
    INTEGER,
    /** A double; "3600.0" and "1e3" are accepted, NaN and infinities are not. */
    REAL,
    /** true/false, yes/no, 1/0, case-insensitive. */
    BOOLEAN,
    /** One of the definition's options (exact match). */
    ENUMERATED,
    /** An ISO 8601 instant; no zone means UTC. */
    INSTANT,
    /** An absolute URI (by-reference input). */
    URI,
    /** An uploaded file (an inline multipart part or a by-reference URL). */
    FILE
}
