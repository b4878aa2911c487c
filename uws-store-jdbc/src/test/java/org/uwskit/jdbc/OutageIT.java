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
import org.uwskit.testkit.Await;
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
 * (pool and LISTEN connection reconnect), and every acknowledged job is still there and COMPLETED, exactly once —
 * including the jobs that were executing when the database went away (their events are stored after it returns;
 * each job runs {@value #JOB_MILLIS} ms so that some always are).
 *
 * <p>Runs on a PostgreSQL cluster of its own (scripts/postgres.sh with UWSKIT_PG_DIR=/tmp/uwskit-pg-outage,
 * UWSKIT_PG_PORT=55433), since it stops the server: never the shared test database.
 */
class OutageIT {
    static final Map<String, String> CLUSTER = Map.of("UWSKIT_PG_DIR", "/tmp/uwskit-pg-outage",
            "UWSKIT_PG_PORT", "55433");
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    static final String LIST = "outage";
    /** How long each job runs: with 4 slots, jobs are always executing when the database stops. */
    static final long JOB_MILLIS = 200;
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
        CountingBackend backend = new CountingBackend("n", 4, counts);
        Engine engine = Engine.builder(service).nodeId("outage-node").backend(backend)
                .pollInterval(Duration.ofMillis(200)).housekeepingInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(3)).build();
        List<JobChange> seen = new CopyOnWriteArrayList<>();
        AutoCloseable feed = store.subscribe(seen::add);
        engine.start();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        List<Long> failureMillis = new CopyOnWriteArrayList<>();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        AtomicLong firstSuccessAfterRestart = new AtomicLong();
        AtomicBoolean restarted = new AtomicBoolean();
        AtomicBoolean stopClient = new AtomicBoolean();
        Thread client = new Thread(() -> {
            while (!stopClient.get()) {
                long t = System.nanoTime();
                try {
                    Job j = service.create(Caller.system(), LIST, JobRequest.builder()
                            .parameter("ms", String.valueOf(JOB_MILLIS)).run().build());
                    acked.add(j.jobId());
                    if (restarted.get()) {
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

            // the case this test is about needs jobs in flight when the database goes away (4 slots of 200 ms jobs
            // are nearly always busy, but not on a loaded machine): stop it while one runs
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(1), () -> backend.running() > 0,
                    "a job is executing", () -> "none executing");
            java.time.Instant stopBegan = java.time.Instant.now();
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
            java.time.Instant restartBegan = java.time.Instant.now();
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
                    .anyMatch(c -> fresh.jobId().equals(c.jobId())), "the change feed works again", seen::toString);
            service.run(Caller.system(), LIST, fresh.jobId());

            Await.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> acked.stream()
                            .allMatch(id -> store.get(id).map(j -> j.phase().isFinished()).orElse(false)),
                    "every acknowledged job finished", () -> counts.perJob.size() + " executed of " + acked.size());
            int lost = 0;
            int completed = 0;
            int errored = 0;
            Set<String> endedDuringOutage = new java.util.HashSet<>();
            Map<String, List<org.uwskit.PhaseChange>> notOnce = new java.util.TreeMap<>();
            for (String id : acked) {
                Job j = store.get(id).orElse(null);
                if (j == null) {
                    lost++;
                    continue;
                }
                if (j.phase() == org.uwskit.Phase.COMPLETED) {
                    completed++;
                } else {
                    errored++;
                }
                if (j.history().stream().filter(c -> c.to() == org.uwskit.Phase.EXECUTING).count() != 1) {
                    notOnce.put(id, j.history());
                }
                // the event's own time: a completion reported while the database was down, stored after it returned
                if (j.endTime() != null && !j.endTime().isBefore(stopBegan) && j.endTime().isBefore(restartBegan)) {
                    endedDuringOutage.add(id);
                }
            }
            Set<String> twiceIds = new java.util.HashSet<>();
            counts.perJob.forEach((id, n) -> {
                if (n.get() > 1) {
                    twiceIds.add(id);
                }
            });
            long twice = twiceIds.size();
            System.out.printf("OUTAGE: %d requests failed with StoreUnavailableException during a %.1f s outage "
                            + "(slowest %d ms, list+get probe %d ms); service resumed %.2f s after the database "
                            + "accepted connections again (%.2f s after the restart began); %d acknowledged jobs: "
                            + "lost %d, executed twice %d, completed %d (%d of them completed while the database was "
                            + "down), ended in ERROR %d%n",
                    failureMillis.size(), outageMillis / 1000.0, failureMillis.stream().mapToLong(x -> x).max()
                            .orElse(0), probeMillis, (firstSuccessAfterRestart.get() - up) / 1e9,
                    (firstSuccessAfterRestart.get() - restartCalled) / 1e9, acked.size(), lost, twice, completed,
                    endedDuringOutage.size(), errored);
            assertThat(unexpected).isEmpty();
            assertThat(lost).as("acknowledged jobs lost").isZero();
            assertThat(twiceIds).as("jobs executed twice (finished before, in flight during, or created after the "
                    + "outage)").isEmpty();
            assertThat(notOnce).as("jobs whose stored history does not show exactly one EXECUTING").isEmpty();
            assertThat(acked).as("every acknowledged job executed").allMatch(id -> counts.perJob.containsKey(id));
            assertThat(errored).as("jobs ended in ERROR (the node never died: no 'node lost')").isZero();
            assertThat(completed).isEqualTo(acked.size());
            assertThat(endedDuringOutage).as("jobs in flight when the database went away, completed during the "
                    + "outage and stored after it (the case this test is about)").isNotEmpty();
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
