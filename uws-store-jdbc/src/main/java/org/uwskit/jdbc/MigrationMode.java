package org.uwskit.jdbc;

/**
 * Who applies the store's Flyway migrations (classpath {@code org/uwskit/jdbc/migration/common}, history table
 * {@code <prefix>schema_history}).
 */
public enum MigrationMode {
    /** The store applies pending migrations when it is built (the default; creates the schema if missing). */
    MIGRATE,
    /**
     * A DBA applied the migrations (for instance with the Flyway command line and the same location and
     * placeholders); the store only validates at build time and fails if a migration is missing or changed.
     */
    VALIDATE
}
