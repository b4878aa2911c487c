package org.uwskit.jdbc.internal;

import java.sql.SQLException;
import org.uwskit.InvalidRequestException;
import org.uwskit.StoreUnavailableException;
import org.uwskit.UwsException;

/**
 * Turns SQLExceptions into the typed exceptions of the JobStore contract: a value too long for its column is the
 * client's fault (400); everything else (connection refused or lost, pool timeout, server shutting down, lock or
 * serialization failures) means the store cannot serve the request now (503). Stateless.
 */
public final class SqlErrors {
    private SqlErrors() {
    }

    /** Whether the error is a unique-key violation (SQLState 23505 on H2 and PostgreSQL). */
    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /**
     * The exception to throw for {@code e}, raised while doing {@code action}.
     *
     * @param action what the store was doing, for the message ("updating job x")
     */
    public static UwsException translate(SQLException e, String action) {
        String state = e.getSQLState();
        if ("22001".equals(state)) {
            return new InvalidRequestException("a value is too long to be stored while " + action + ": "
                    + firstLine(e.getMessage()));
        }
        return new StoreUnavailableException("the job store is unavailable (" + action + "): " + firstLine(e.getMessage())
                + (state == null ? "" : " [SQLState " + state + "]"), e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
