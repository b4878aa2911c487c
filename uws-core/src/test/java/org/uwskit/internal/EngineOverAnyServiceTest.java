package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;

/**
 * The worker role sits beside the client role over the store, not on the client role's implementation: an engine
 * works for any {@link JobService} implementation given the store and result store.
 */
class EngineOverAnyServiceTest {
    static final Caller ALICE = Caller.of("alice");

    final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    final InMemoryJobStore store = new InMemoryJobStore();
    final InMemoryResultStore results = new InMemoryResultStore();
    final ScriptedBackend backend = new ScriptedBackend();
    final JobService built = JobService.builder().clock(clock).store(store).resultStore(results)
            .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build()).build();
    /** A service of "someone else's" implementation: a proxy that forwards to the built one. */
    final JobService foreign = (JobService) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {JobService.class}, (proxy, m, args) -> {
                try {
                    return m.invoke(built, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    Engine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        built.close();
    }

    @Test
    void anEngineOnAServiceOfAnotherImplementationRunsItsJobsOverTheStore() throws Exception {
        engine = Engine.builder(foreign).store(store).resultStore(results).nodeId("n").backend(backend).manual()
                .build();
        Job j = foreign.create(ALICE, "demo", JobRequest.builder().run().build());
        CompletableFuture<Job> wait = foreign.awaitChange(ALICE, "demo", j.jobId(), Duration.ofSeconds(30),
                Phase.QUEUED);
        assertThat(engine.dispatch()).isEqualTo(1);
        assertThat(backend.submitted).containsExactly(j.jobId());
        backend.events(j.jobId()).started();
        assertThat(wait.get(5, TimeUnit.SECONDS).phase())
                .as("the service's WAIT hears of the engine's change through the store's change feed")
                .isEqualTo(Phase.EXECUTING);
        backend.events(j.jobId()).completed();
        assertThat(foreign.get(ALICE, "demo", j.jobId()).phase()).isEqualTo(Phase.COMPLETED);
    }

    @Test
    void anEngineOnAServiceOfAnotherImplementationNeedsTheStores() {
        assertThatThrownBy(() -> Engine.builder(foreign).backend(backend).manual().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> Engine.builder(foreign).store(store).backend(backend).manual().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result store");
    }

    @Test
    void anEngineOnABuiltServiceRefusesAnotherStore() {
        assertThatThrownBy(() -> Engine.builder(built).store(new InMemoryJobStore()).backend(backend).manual()
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of its service");
        Engine same = Engine.builder(built).store(store).resultStore(results).backend(backend).manual().build();
        same.close();
    }
}
