package org.uwskit.servlet.internal;

import java.time.Duration;
import org.uwskit.spi.JobChangeFeed;

/**
 * The settings of the browser job manager and of the job lists' {@code events} streams.
 *
 * @param enabled            whether {@code {mount}/_manager/} and {@code {list}/events} are served
 * @param feed               the job store's change feed, or null: then the streams re-read the watched jobs
 *                           every {@code pollInterval}
 * @param maxStreams         the most event streams open at once on the servlet (429 beyond)
 * @param maxStreamsPerOwner the most event streams one owner (an anonymous caller: one client address) may hold
 *                           open at once (429 beyond)
 * @param heartbeat          how often an idle stream sends a comment line (finds dead connections)
 * @param pollInterval       how often, without a change feed, the watched active jobs are re-read
 * @param maxStreamAge       after how long a stream is ended (the browser reconnects and re-reads its list)
 * @param coalesce           how long changes are gathered before they are sent (one event per job per window)
 */
public record ManagerConfig(boolean enabled, JobChangeFeed feed, int maxStreams, int maxStreamsPerOwner,
                            Duration heartbeat, Duration pollInterval, Duration maxStreamAge, Duration coalesce) {
    /** The defaults without a change feed. */
    public static ManagerConfig defaults() {
        return new ManagerConfig(true, null, 256, 8, Duration.ofSeconds(15), Duration.ofSeconds(2),
                Duration.ofMinutes(30), Duration.ofMillis(150));
    }
}
