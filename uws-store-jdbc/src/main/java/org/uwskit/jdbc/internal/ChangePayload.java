package org.uwskit.jdbc.internal;

import org.uwskit.Phase;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * The text of a PostgreSQL NOTIFY payload: {@code jobId,phase,version,jobList}, phase {@code -} for a deletion.
 * Job list names cannot contain a comma (JobList's name pattern), job ids may in theory, so the job list comes last
 * and the job id is everything before the last three fields.
 */
public final class ChangePayload {
    private ChangePayload() {
    }

    public static String encode(JobChange c) {
        return c.jobId() + "," + (c.phase() == null ? "-" : c.phase().name()) + "," + c.version() + "," + c.jobList();
    }

    /** The change, or null for a payload this code did not write. */
    public static JobChange decode(String payload) {
        if (payload == null) {
            return null;
        }
        int c3 = payload.lastIndexOf(',');
        int c2 = c3 <= 0 ? -1 : payload.lastIndexOf(',', c3 - 1);
        int c1 = c2 <= 0 ? -1 : payload.lastIndexOf(',', c2 - 1);
        if (c1 <= 0) {
            return null;
        }
        try {
            String phase = payload.substring(c1 + 1, c2);
            return new JobChange(payload.substring(0, c1), payload.substring(c3 + 1),
                    phase.equals("-") ? null : Phase.valueOf(phase), Long.parseLong(payload.substring(c2 + 1, c3)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
