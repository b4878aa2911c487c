package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.memory.InMemoryResultStore;

/** WAIT without a thread per waiter. */
class AwaitChangeTest {
    static final Caller ALICE = Caller.of("alice");
    final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    JobService service = service(Duration.ofSeconds(60));

    JobService service(Duration maxWait) {
        return JobService.builder().clock(clock).resultStore(new InMemoryResultStore())
                .jobList(JobList.builder("demo").policy(JobListPolicy.builder().maxWait(maxWait).build())
                        .definition(JobDefinition.builder("echo").build()).build()).build();
    }

    @AfterEach
    void close() {
        service.close();
    }

    Job create() {
        return service.create(ALICE, "demo", JobRequest.builder().build());
    }

    CompletableFuture<Job> await(Job j, Duration timeout, Phase expected) {
        return service.awaitChange(ALICE, "demo", j.jobId(), timeout, expected);
    }

    @Test
    void returnsAtOnceForInactivePhasesAndForAnExpectedPhaseThatDiffers() {
        Job j = create();
        CompletableFuture<Job> mismatch = await(j, Duration.ofSeconds(30), Phase.QUEUED);
        assertThat(mismatch).isCompletedWithValueMatching(x -> x.phase() == Phase.PENDING);
        service.abort(ALICE, "demo", j.jobId());
        assertThat(await(j, Duration.ofSeconds(30), null)).isCompletedWithValueMatching(x -> x.phase() == Phase.ABORTED);
        assertThat(await(create(), Duration.ZERO, null)).isDone();
        assertThat(JobKernel.of(service).orElseThrow().waiterCount()).isZero();
    }

    @Test
    void completesOnThePhaseChange() throws Exception {
        Job j = create();
        CompletableFuture<Job> f = await(j, Duration.ofSeconds(30), Phase.PENDING);
        assertThat(f).isNotDone();
        service.setExecutionDuration(ALICE, "demo", j.jobId(), 5);
        assertThat(f).as("a change that keeps the phase does not end the wait").isNotDone();
        service.run(ALICE, "demo", j.jobId());
        assertThat(f.get(1, TimeUnit.SECONDS).phase()).isEqualTo(Phase.QUEUED);
        assertThat(JobKernel.of(service).orElseThrow().waiterCount()).isZero();
    }

    @Test
    void timesOutWithTheCurrentSnapshot() throws Exception {
        Job j = create();
        CompletableFuture<Job> f = await(j, Duration.ofMillis(200), null);
        clock.advance(Duration.ofMillis(199));
        assertThat(f).as("the timeout runs on the service's clock: not before 200 ms of it").isNotDone();
        clock.advance(Duration.ofMillis(1));
        assertThat(f).as("due as soon as the clock reaches it").isDone();
        assertThat(f.get().phase()).isEqualTo(Phase.PENDING);
        assertThat(JobKernel.of(service).orElseThrow().waiterCount()).isZero();
    }

    @Test
    void theTimeoutIsCappedByMaxWait() throws Exception {
        service.close();
        service = service(Duration.ofMillis(200));
        Job j = create();
        CompletableFuture<Job> hour = await(j, Duration.ofHours(1), null);
        CompletableFuture<Job> none = await(j, null, null);
        clock.advance(Duration.ofMillis(199));
        assertThat(hour).isNotDone();
        assertThat(none).isNotDone();
        clock.advance(Duration.ofMillis(1));
        assertThat(hour).as("an hour is capped by maxWait (200 ms of the clock)").isDone();
        assertThat(none).as("no timeout is maxWait").isDone();
    }

    @Test
    void aJobDeletedThroughTheApiIsSeenAbortedFirst() throws Exception {
        Job j = create();
        CompletableFuture<Job> f = await(j, Duration.ofSeconds(30), null);
        service.delete(ALICE, "demo", j.jobId());
        assertThat(f.get(1, TimeUnit.SECONDS).phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void aJobDeletedFromTheStoreEndsTheWaitWithNotFound() {
        Job j = create();
        CompletableFuture<Job> f = await(j, Duration.ofSeconds(30), null);
        // as another node's reaper would, straight in the shared store
        JobKernel.of(service).orElseThrow().store().delete(j.jobId());
        assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(JobNotFoundException.class);
    }

    @Test
    void tenThousandWaitersHoldNoThreadsAndCancellingReleasesThem() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            jobs.add(create());
        }
        CompletableFuture<Job> first = await(jobs.get(0), Duration.ofMillis(1), null); // starts the one timer thread
        clock.advance(Duration.ofMillis(1));
        first.get(5, TimeUnit.SECONDS);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        List<CompletableFuture<Job>> futures = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            futures.add(await(jobs.get(i % 100), Duration.ofSeconds(60), null));
        }
        JobKernel s = JobKernel.of(service).orElseThrow();
        assertThat(s.waiterCount()).isEqualTo(10_000);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThanOrEqualTo(threadsBefore + 1);
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(ChangeWaiters.TIMER_THREAD)).count()).isEqualTo(1);

        service.run(ALICE, "demo", jobs.get(7).jobId());
        long done = futures.stream().filter(CompletableFuture::isDone).count();
        assertThat(done).isEqualTo(100);
        assertThat(s.waiterCount()).isEqualTo(9_900);

        futures.forEach(f -> f.cancel(true));
        assertThat(s.waiterCount()).isZero();
    }

    @Test
    void closingTheServiceReleasesWaitersWithTheirCurrentSnapshot() throws Exception {
        Job j = create();
        CompletableFuture<Job> f = await(j, Duration.ofSeconds(60), null);
        service.close();
        assertThat(f.get(1, TimeUnit.SECONDS).phase()).isEqualTo(Phase.PENDING);
    }

    /**
     * In a servlet container the wait timer is created lazily on a request thread whose context class loader is the
     * web app's; the timer thread must not keep that loader (Tomcat reports it as a leak on undeploy).
     */
    @Test
    void theWaitTimerDoesNotInheritTheCallersContextClassLoader() throws Exception {
        ClassLoader webApp = new java.net.URLClassLoader(new java.net.URL[0], null);
        Job j = create();
        Thread request = new Thread(() -> await(j, Duration.ofSeconds(30), null));
        request.setContextClassLoader(webApp);
        request.start();
        request.join(10_000);
        Thread timer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("uws-wait-timer")).findFirst().orElseThrow();
        assertThat(timer.getContextClassLoader()).isNotSameAs(webApp);
    }
}
