package org.uwskit.slurm.internal;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.spi.ExecutionBackend.BackendException;

/**
 * Whether the last call to SLURM reached it. While SLURM is down, submissions wait without calling it (a call to a
 * stopped slurmctld takes about 9 s of SLURM's own retries) and only the poll thread probes; the log says so at most
 * every 30 s, and once when SLURM answers again. Thread-safe.
 */
public final class ClusterHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterHealth.class);

    private final String name;
    private volatile String downMessage;
    private volatile long lastLog;
    private volatile boolean closed;

    /** @param name the backend's name, for logs */
    public ClusterHealth(String name) {
        this.name = name;
    }

    /**
     * A call did not reach SLURM.
     *
     * @param e the failure
     */
    public void down(BackendException e) {
        if (closed) {
            return; // close() interrupted a call
        }
        downMessage = String.valueOf(e.getMessage());
        long now = System.nanoTime();
        if (now - lastLog > TimeUnit.SECONDS.toNanos(30)) {
            lastLog = now;
            LOG.warn("SLURM backend {}: {}; jobs keep their phase, submissions wait, polling goes on", name,
                    e.getMessage());
        }
    }

    /** A call reached SLURM. */
    public void up() {
        if (downMessage != null) {
            downMessage = null;
            lastLog = 0;
            LOG.info("SLURM backend {}: SLURM answers again", name);
        }
    }

    /** @return whether the last call failed to reach SLURM */
    public boolean isDown() {
        return downMessage != null;
    }

    /** @return the last failure's message while SLURM is down, else null */
    public String downMessage() {
        return downMessage;
    }

    /** No more logs (the backend closes). */
    public void close() {
        closed = true;
    }
}
