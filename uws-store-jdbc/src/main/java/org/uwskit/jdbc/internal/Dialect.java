package org.uwskit.jdbc.internal;

import java.util.Locale;
import java.util.Map;

/**
 * The SQL differences between the supported databases. Everything else the store runs is plain SQL that both
 * accept. Immutable.
 */
public enum Dialect {
    H2("CHARACTER LARGE OBJECT", ""),
    POSTGRESQL("TEXT", "COLLATE \"C\"");

    private final String textType;
    private final String collateC;

    Dialect(String textType, String collateC) {
        this.textType = textType;
        this.collateC = collateC;
    }

    /**
     * The dialect of a database product name as JDBC metadata reports it.
     *
     * @throws IllegalArgumentException for a database the store does not support
     */
    public static Dialect of(String productName) {
        String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("the uwskit JDBC store supports H2 and PostgreSQL, not '" + productName + "'");
    }

    /** Flyway placeholders for the migration scripts. */
    public Map<String, String> placeholders(String tablePrefix) {
        return Map.of("prefix", tablePrefix, "text", textType, "collate_c", collateC);
    }

    /** Whether the database has LISTEN/NOTIFY (else changes are announced in-process after commit). */
    public boolean hasNotify() {
        return this == POSTGRESQL;
    }
}
