package org.uwskit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.ResultStore;

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
 *
 * <p><b>Threading:</b> thread-safe. The engine's threads are daemon threads; dispatches are serialized, so calling
 * {@link #dispatch()} from a test thread while the engine runs is safe. Backend events are accepted on any thread.
 *
 * <p><b>Failures:</b> a job store outage is not thrown out of the engine: {@link #dispatch()} and
 * {@link #housekeep()} record it and return; the engine's threads retry with back-off (in manual mode every call
 * tries the store again, the caller drives the retries); events reported
 * while the store is down are kept in order and stored once it answers, so no job runs twice because of an outage.
 * A backend that refuses or fails a submission puts the job in ERROR with the backend's message.
 *
 * <p><b>Lifecycle:</b> build with {@link #builder(JobService)}, then {@link #start()} (not in manual mode), then
 * {@link #close()}. The engine shares the service's store, result store, clock and listeners (for a service of
 * your own, give the engine the store and result store with {@link Builder#store} and {@link Builder#resultStore}); it closes its
 * backends when it closes, but never the {@link JobService} or the stores. Close engines before their service.
 * After {@code close()}, {@code start()}, {@code dispatch()} and {@code housekeep()} do nothing.
 */
public interface Engine extends AutoCloseable {

    /**
     * This node's id, stored in the lease of every job it claims. Nodes sharing a store must have distinct ids.
     *
     * @return the id given to the builder, or a random one
     */
    String nodeId();

    /**
     * The jobs this node runs now: claimed and submitted (or re-attached) here, and not yet finished here, also
     * while their terminal event waits for an unavailable store. For operators and tests.
     *
     * @return an immutable snapshot of their ids
     */
    java.util.Set<String> runningJobIds();

    /**
     * Starts the engine's threads: one that claims and submits QUEUED work, one that runs housekeeping. Returns at
     * once. Idempotent; does nothing in manual mode or after {@link #close()}.
     */
    void start();

    /**
     * Claims due QUEUED work and submits it now, on the caller's thread: per job list, up to its
     * {@code maxExecutingJobs} minus the jobs this node already runs, oldest first, each to the first backend that
     * accepts its type. A job no backend accepts ends in ERROR. Does not wait for the work to finish. Never throws
     * {@link StoreUnavailableException}: a store outage ends the round.
     *
     * @return the number of jobs submitted (0 after {@link #close()})
     */
    int dispatch();

    /**
     * Runs housekeeping now: the execution-duration watchdog, the destruction reaper, lease renewal and recovery of
     * jobs whose node died, plus retrying event writes kept during a store outage. Runs on the caller's thread and
     * never throws {@link StoreUnavailableException} (the outage is recorded and retried later).
     *
     * @return the number of jobs changed (0 after {@link #close()})
     */
    int housekeep();

    /**
     * Stops in order: claiming, then running work, then threads, waiting at most the grace. Running work of a
     * backend that is not {@link org.uwskit.spi.Reattachable} is aborted; work of a reattachable backend is left
     * running for the next node to re-attach. Then the backends are closed. Blocks for at most about the shutdown
     * grace; jobs still undecided then are left to lease recovery. Idempotent.
     */
    @Override
    void close();

    /**
     * A new builder for an engine that executes the jobs of {@code service}.
     *
     * @param service a service built by {@link JobService#builder()}, or any other implementation together with
     *                {@link Builder#store} and {@link Builder#resultStore}
     * @return a new builder
     * @throws NullPointerException if {@code service} is null
     */
    static Builder builder(JobService service) {
        return new Builder(service);
    }

    /**
     * Builds an {@link Engine}; defaults are the named constants below. Setters reject null with
     * {@link NullPointerException}; bad values fail at {@link #build()}. Not thread-safe: configure on one thread.
     */
    final class Builder {
        /** How often the dispatcher looks for QUEUED work it was not told of. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
        /** How often housekeeping runs (at least every third of the lease duration). */
        public static final Duration DEFAULT_HOUSEKEEPING_INTERVAL = Duration.ofSeconds(1);
        /** How long a claim holds without renewal. */
        public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(30);
        /** How long {@link Engine#close()} waits for running work. */
        public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

        private final JobService service;
        private final List<ExecutionBackend> backends = new ArrayList<>();
        private String nodeId;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration housekeepingInterval = DEFAULT_HOUSEKEEPING_INTERVAL;
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private boolean manual;
        private JobStore store;
        private ResultStore resultStore;

        private Builder(JobService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        /** Adds a backend; a job goes to the first backend that accepts its type. */
        public Builder backend(ExecutionBackend v) { backends.add(Objects.requireNonNull(v)); return this; }
        /** This node's id, stored in leases; defaults to a random id. Nodes sharing a store need distinct ids. */
        public Builder nodeId(String v) { nodeId = Objects.requireNonNull(v); return this; }
        /** How often to look for QUEUED work not announced by a change event. */
        public Builder pollInterval(Duration v) { pollInterval = Objects.requireNonNull(v); return this; }
        /** How often housekeeping runs; it also runs at least every third of the lease duration. */
        public Builder housekeepingInterval(Duration v) { housekeepingInterval = Objects.requireNonNull(v); return this; }
        /** How long a claim holds without renewal; renewed every third of it. */
        public Builder leaseDuration(Duration v) { leaseDuration = Objects.requireNonNull(v); return this; }
        /** How long {@link Engine#close()} waits at most for running work and kept event writes. */
        public Builder shutdownGrace(Duration v) { shutdownGrace = Objects.requireNonNull(v); return this; }
        /** No threads: the caller drives {@link Engine#dispatch()} and {@link Engine#housekeep()}. */
        public Builder manual() { manual = true; return this; }
        /**
         * The job store the service keeps its jobs in. Needed only for a {@link JobService} not built by
         * {@link JobService#builder()} (an engine on such a service works over the store directly, and WAIT requests
         * of that service hear of its changes through the store's change feed); for a built service it must be the
         * store given to the service's builder, or unset.
         */
        public Builder store(JobStore v) { store = Objects.requireNonNull(v); return this; }
        /**
         * Where the service keeps result and upload bytes. Needed only, and then required, with {@link #store}.
         */
        public Builder resultStore(ResultStore v) { resultStore = Objects.requireNonNull(v); return this; }

        /** @return the service the engine works for */
        public JobService service() { return service; }
        /** @return a copy of the backends, in the order added */
        public List<ExecutionBackend> backends() { return List.copyOf(backends); }
        /** @return the configured node id, or null for a random one */
        public String nodeId() { return nodeId; }
        /** @return the poll interval */
        public Duration pollInterval() { return pollInterval; }
        /** @return the housekeeping interval */
        public Duration housekeepingInterval() { return housekeepingInterval; }
        /** @return the lease duration */
        public Duration leaseDuration() { return leaseDuration; }
        /** @return the shutdown grace */
        public Duration shutdownGrace() { return shutdownGrace; }
        /** @return whether the engine is manual (no threads) */
        public boolean isManual() { return manual; }
        /** @return the configured job store, or null to use the service's */
        public JobStore store() { return store; }
        /** @return the configured result store, or null to use the service's */
        public ResultStore resultStore() { return resultStore; }

        /**
         * Builds the engine. It registers with the service at once (to hear of changes) but starts no thread until
         * {@link Engine#start()}.
         *
         * @return a new engine
         * @throws IllegalArgumentException for a missing backend, non-positive intervals, a service not built by
         *                                  {@link JobService#builder()} without {@link #store} and
         *                                  {@link #resultStore}, or a store other than a built service's own
         */
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
