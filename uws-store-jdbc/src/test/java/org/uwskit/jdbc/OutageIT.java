package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * PostgreSQL stops while a client keeps creating jobs and starts again: during the outage every request fails fast
 * with StoreUnavailableException (the HTTP layer's 503), never hangs; afterwards the service resumes by itself
 * (pool and LISTEN connection reconnect), and every acknowledged job is still there and finishes, none twice.
 *
 * <p>Runs on a PostgreSQL cluster of its own (scripts/postgres.sh with UWSKIT_PG_DIR=/tmp/uwskit-pg-outage,
 * UWSKIT_PG_PORT=55433), since it stops the server: never the shared test database.
 */
class OutageIT {
    static final Map<String, String> CLUSTER = Map.of("UWSKIT_PG_DIR", "/tmp/uwskit-pg-outage",
            "UWSKIT_PG_PORT", "55433");
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    static final String LIST = "outage";
    static String url;

    @BeforeAll
    static void startOwnCluster() {
        url = PgSupport.script(CLUSTER, "start");
        PgSupport.checkReachable(url);
        PgSupport.exec(url, "DROP SCHEMA IF EXISTS it_outage CASCADE");
    }

    @AfterAll
    static void stopOwnCluster() {
        PgSupport.script(CLUSTER, "stop");
    }

    @Test
    void requestsFailFastDuringAnOutageAndTheServiceResumesByItself() throws Exception {
        CountingBackend.CountingMap counts = new CountingBackend.CountingMap();
        JdbcJobStore store = JdbcJobStore.builder().jdbcUrl(url).schema("it_outage").poolName("outage")
                .maximumPoolSize(4).connectionTimeout(CONNECTION_TIMEOUT)
                .listenerBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build();
        JobList list = JobList.builder(LIST).definition(JobDefinition.builder("quick").build())
                .policy(JobListPolicy.builder().maxExecutingJobs(4).build()).build();
        JobService service = JobService.builder().store(store).jobList(list).build();
        Engine engine = Engine.builder(service).nodeId("outage-node").backend(new CountingBackend("n", 4, counts))
                .pollInterval(Duration.ofMillis(200)).housekeepingInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(3)).build();
        List<JobChange> seen = new CopyOnWriteArrayList<>();
        AutoCloseable feed = store.subscribe(seen::add);
        engine.start();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<Long> failureMillis = new CopyOnWriteArrayList<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        AtomicLong firstSuccessAfterRestart = new AtomicLong();
        Set<String> ackedAfterRestart = ConcurrentHashMap.newKeySet();
        AtomicBoolean restarted = new AtomicBoolean();
        AtomicBoolean stopClient = new AtomicBoolean();
        Thread client = new Thread(() -> {
            while (!stopClient.get()) {
                long t = System.nanoTime();
                try {
                    Job j = service.create(Caller.system(), LIST, JobRequest.builder().run().build());
                    acked.add(j.jobId());
                    if (restarted.get()) {
                        ackedAfterRestart.add(j.jobId());
                        firstSuccessAfterRestart.compareAndSet(0, System.nanoTime());
                    }
                } catch (StoreUnavailableException e) {
                    failureMillis.add((System.nanoTime() - t) / 1_000_000);
                } catch (RuntimeException e) {
                    unexpected.add(e);
                }
            }
        }, "outage-client");
        try {
            client.start();
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), () -> acked.size() >= 50 && store.isListening(),
                    "50 jobs created, listener up", () -> acked.size() + " acked");

            Set<String> doneBeforeStop = ConcurrentHashMap.newKeySet();
            store.list(JobFilter.all(LIST).withPhases(Set.of(org.uwskit.Phase.COMPLETED)), null, 100_000)
                    .forEach(r -> doneBeforeStop.add(r.jobId()));
            PgSupport.script(CLUSTER, "stop");
            long stopped = System.nanoTime();
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), () -> failureMillis.size() >= 3,
                    "creates fail during the outage", failureMillis::toString);
            long t = System.nanoTime();
            assertThatThrownBy(() -> store.list(JobFilter.all(LIST), null, 10))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("unavailable");
            assertThatThrownBy(() -> service.get(Caller.system(), LIST, acked.iterator().next()))
                    .isInstanceOf(StoreUnavailableException.class);
            long probeMillis = (System.nanoTime() - t) / 1_000_000;
            assertThat(failureMillis).allMatch(ms -> ms < CONNECTION_TIMEOUT.toMillis() + 2_000,
                    "each failed request returned within the connection timeout + 2 s");
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(50), () -> !store.isListening(),
                    "listener notices the outage", () -> "listening");
            int ackedBeforeRestart = acked.size();
            long outageMillis = (System.nanoTime() - stopped) / 1_000_000;

            restarted.set(true);
            long restartCalled = System.nanoTime();
            PgSupport.script(CLUSTER, "start");
            long up = System.nanoTime();
            Duration resumed = Await.until(Duration.ofSeconds(30), Duration.ofMillis(20),
                    () -> firstSuccessAfterRestart.get() != 0, "a create succeeds after the restart",
                    () -> failureMillis.size() + " failures");
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), () -> store.isListening(),
                    "listener reconnects", () -> "not listening");
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(50), () -> acked.size() >= ackedBeforeRestart + 50,
                    "50 more jobs after the restart", () -> acked.size() + " acked");
            stopClient.set(true);
            client.join(10_000);
            int changesBefore = seen.size();
            Job fresh = service.create(Caller.system(), LIST, JobRequest.builder().build());
            acked.add(fresh.jobId());
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> seen.stream().skip(changesBefore)
                    .anyMatch(c -> c.jobId().equals(fresh.jobId())), "the change feed works again", seen::toString);
            service.run(Caller.system(), LIST, fresh.jobId());

            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> acked.stream()
                            .allMatch(id -> store.get(id).map(j -> j.phase().isFinished()).orElse(false)),
                    "every acknowledged job finished", () -> counts.perJob.size() + " executed of " + acked.size());
            int lost = 0;
            int completed = 0;
            int errored = 0;
            for (String id : acked) {
                Job j = store.get(id).orElse(null);
                if (j == null) {
                    lost++;
                } else if (j.phase() == org.uwskit.Phase.COMPLETED) {
                    completed++;
                } else {
                    errored++;
                }
            }
            Set<String> twiceIds = new java.util.HashSet<>();
            counts.perJob.forEach((id, n) -> {
                if (n.get() > 1) {
                    twiceIds.add(id);
                }
            });
            long twice = twiceIds.size();
            assertThat(unexpected).isEmpty();
            assertThat(lost).as("acknowledged jobs lost").isZero();
            // A job that was running when the database went away may run again: the engine could not store
            // "started" (the job stays QUEUED without a backend reference) and later re-queues it when its lease
            // expires. That is the engine's at-least-once window (reported to the core), not the store's; jobs
            // finished before the outage or created after it must never run twice.
            assertThat(twiceIds).as("jobs executed twice that were not in flight during the outage")
                    .doesNotContainAnyElementsOf(doneBeforeStop)
                    .doesNotContainAnyElementsOf(ackedAfterRestart.isEmpty() ? Set.of("-") : ackedAfterRestart);
            System.out.printf("OUTAGE: %d requests failed with StoreUnavailableException during a %.1f s outage "
                            + "(slowest %d ms, list+get probe %d ms); service resumed %.2f s after the database "
                            + "accepted connections again (%.2f s after the restart began); %d acknowledged jobs: "
                            + "lost %d, duplicates %d (all in flight during the outage), completed %d, ended in ERROR %d%n",
                    failureMillis.size(), outageMillis / 1000.0, failureMillis.stream().mapToLong(x -> x).max()
                            .orElse(0), probeMillis, (firstSuccessAfterRestart.get() - up) / 1e9,
                    (firstSuccessAfterRestart.get() - restartCalled) / 1e9, acked.size(), lost, twice, completed,
                    errored);
            assertThat(resumed).isLessThan(Duration.ofSeconds(30));
        } finally {
            stopClient.set(true);
            client.join(10_000);
            feed.close();
            engine.close();
            service.close();
            store.close();
        }
    }
}
