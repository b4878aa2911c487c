package org.uwskit.testkit;

import java.util.Objects;
import org.uwskit.Engine;
import org.uwskit.JobService;
import org.uwskit.spi.ExecutionBackend;

/**
 * An {@link Engine} without threads, for tests of users' own job logic: the test decides when queued work is
 * dispatched and when housekeeping (watchdog, destruction, leases) runs, usually together with a
 * {@link SettableClock}. Everything runs on the calling thread; backends may still run work on their own threads.
 *
 * <pre>{@code
 * SettableClock clock = new SettableClock();
 * JobService service = JobService.builder().clock(clock).jobList(list).build();
 * try (ManualEngine engine = ManualEngine.create(service, myBackend)) {
 *     Job job = service.create(Caller.system(), "demo", JobRequest.builder().run().build());
 *     engine.runDueWork();                         // submits it
 *     clock.advance(Duration.ofHours(2));
 *     engine.runHousekeeping();                    // execution duration exceeded → ABORTED
 * }
 * }</pre>
 *
 * <p>Not thread-safe in the sense that two threads should not drive the same instance at once.
 */
public final class ManualEngine implements AutoCloseable {
    /** The most dispatch + housekeeping rounds {@link #runUntilIdle()} runs before it gives up. */
    public static final int MAX_ROUNDS = 1000;

    private final Engine engine;

    /**
     * Wraps an engine built in manual mode.
     *
     * @throws IllegalArgumentException if {@code builder} was not set to manual mode
     */
    public static ManualEngine of(Engine.Builder builder) {
        if (!builder.isManual()) {
            throw new IllegalArgumentException("ManualEngine needs an Engine.Builder set to manual()");
        }
        return new ManualEngine(builder.build());
    }

    /** A manual engine with node id {@code manual} running jobs on the given backends. */
    public static ManualEngine create(JobService service, ExecutionBackend... backends) {
        Engine.Builder b = Engine.builder(service).nodeId("manual").manual();
        for (ExecutionBackend backend : backends) {
            b.backend(backend);
        }
        return new ManualEngine(b.build());
    }

    private ManualEngine(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** The wrapped engine. */
    public Engine engine() {
        return engine;
    }

    /**
     * Claims and submits the QUEUED jobs that are due, on this thread.
     *
     * @return how many jobs were submitted
     */
    public int runDueWork() {
        return engine.dispatch();
    }

    /**
     * Runs the watchdog, the destruction reaper, lease renewal and recovery once, at the service clock's now.
     *
     * @return how many jobs were changed
     */
    public int runHousekeeping() {
        return engine.housekeep();
    }

    /**
     * Alternates {@link #runDueWork()} and {@link #runHousekeeping()} until a round does nothing.
     *
     * @return the total number of jobs submitted or changed
     * @throws IllegalStateException if work is still being found after {@value #MAX_ROUNDS} rounds
     */
    public int runUntilIdle() {
        int total = 0;
        for (int i = 0; i < MAX_ROUNDS; i++) {
            int n = engine.dispatch() + engine.housekeep();
            if (n == 0) {
                return total;
            }
            total += n;
        }
        throw new IllegalStateException("the engine still found work after " + MAX_ROUNDS + " rounds");
    }

    /** Closes the engine (aborting running work per backend). Idempotent. */
    @Override
    public void close() {
        engine.close();
    }
}
