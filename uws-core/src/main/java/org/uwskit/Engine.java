package org.uwskit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.uwskit.spi.ExecutionBackend;

/**
 * The worker role: what a node that executes jobs runs. It claims QUEUED jobs within each job list's
 * {@code maxExecutingJobs}, submits them to the first {@link ExecutionBackend} that accepts their type, turns the
 * backend's events into phase changes, aborts jobs whose execution duration is exceeded (keeping results written so
 * far), destroys or archives jobs at their destruction instant (to the second), renews leases of its running jobs
 * and recovers jobs whose node died. Time comes from the service's Clock.
 *
 * <p>Threads are owned and named {@code uws-engine-<nodeId>-*}. {@link #start()} and {@link #close()} are
 * idempotent; {@code close()} stops claiming, aborts or releases running work per backend, and waits at most the
 * configured grace. In manual mode (for tests, see uws-testkit's ManualEngine) no thread is started and
 * {@link #dispatch()} and {@link #housekeep()} do the work on the caller's thread.
 */
public interface Engine extends AutoCloseable {

    /** This node's id (stored in leases). */
    String nodeId();

    /** Starts the engine's threads. Idempotent. */
    void start();

    /**
     * Claims due QUEUED work and submits it now.
     *
     * @return the number of jobs submitted
     */
    int dispatch();

    /**
     * Runs housekeeping now: the execution-duration watchdog, the destruction reaper, lease renewal and recovery of
     * jobs whose node died.
     *
     * @return the number of jobs changed
     */
    int housekeep();

    /** Stops in order: claiming, then running work, then threads, waiting at most the grace. Idempotent. */
    @Override
    void close();

    static Builder builder(JobService service) {
        return new Builder(service);
    }

    /** Builds an {@link Engine}; defaults are the named constants below. */
    final class Builder {
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
        public static final Duration DEFAULT_HOUSEKEEPING_INTERVAL = Duration.ofSeconds(1);
        public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
        public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

        private final JobService service;
        private final List<ExecutionBackend> backends = new ArrayList<>();
        private String nodeId;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration housekeepingInterval = DEFAULT_HOUSEKEEPING_INTERVAL;
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private boolean manual;

        private Builder(JobService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        /** Adds a backend; a job goes to the first backend that accepts its type. */
        public Builder backend(ExecutionBackend v) { backends.add(Objects.requireNonNull(v)); return this; }
        /** Defaults to a random id. */
        public Builder nodeId(String v) { nodeId = Objects.requireNonNull(v); return this; }
        /** How often to look for QUEUED work not announced by a change event. */
        public Builder pollInterval(Duration v) { pollInterval = Objects.requireNonNull(v); return this; }
        public Builder housekeepingInterval(Duration v) { housekeepingInterval = Objects.requireNonNull(v); return this; }
        /** How long a claim holds without renewal; renewed every third of it. */
        public Builder leaseDuration(Duration v) { leaseDuration = Objects.requireNonNull(v); return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = Objects.requireNonNull(v); return this; }
        /** No threads: the caller drives {@link Engine#dispatch()} and {@link Engine#housekeep()}. */
        public Builder manual() { manual = true; return this; }

        public JobService service() { return service; }
        public List<ExecutionBackend> backends() { return List.copyOf(backends); }
        public String nodeId() { return nodeId; }
        public Duration pollInterval() { return pollInterval; }
        public Duration housekeepingInterval() { return housekeepingInterval; }
        public Duration leaseDuration() { return leaseDuration; }
        public Duration shutdownGrace() { return shutdownGrace; }
        public boolean isManual() { return manual; }

        /** @throws IllegalArgumentException for a missing backend or non-positive intervals */
        public Engine build() {
            if (backends.isEmpty()) {
                throw new IllegalArgumentException("an Engine needs at least one execution backend");
            }
            for (Duration d : List.of(pollInterval, housekeepingInterval, leaseDuration)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("engine intervals must be positive");
                }
            }
            return org.uwskit.internal.DefaultEngine.create(this);
        }
    }
}
