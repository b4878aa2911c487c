package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.testkit.Await;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;

/**
 * WAIT across nodes: a waiter on node A ({@code JobService.awaitChange}) wakes when node B changes the job, through
 * PostgreSQL LISTEN/NOTIFY and not by polling. Two nodes, each a JobService on its OWN JdbcJobStore and pool, share
 * one database (schema {@value #SCHEMA}); there is no engine at all, so nothing polls the table: A can only wake by
 * B's notification or by its 30 s timeout.
 *
 * <p>The bounds tell notifications from polling: a poll of the table every second wakes a waiter after about 500 ms
 * on average (uniform over the second), so a median wake-up latency below {@link #MEDIAN_BOUND} over
 * {@value #ITERATIONS} waits fails for any poll interval above about 0.4 s, whatever the machine's load; single
 * wake-ups get the looser {@link #SINGLE_BOUND} for a busy 2-core machine. Each latency is measured from just before
 * B's call (so it includes B's transaction) to the completion of A's future. The figures are printed ("CROSSNODE").
 *
 * <p>Node A's pool connections carry {@code ApplicationName=crossnode-a}, so that the LISTEN connection of A (and
 * only it, not other ITs' listeners on the same server) can be found and killed in {@code pg_stat_activity}.
 */
class CrossNodeWaitIT {
    static final String SCHEMA = "it_crossnode";
    static final String LIST = "crossnode";
    static final Caller SYSTEM = Caller.system();
    /** What A asks for: far above every bound below, so a wake-up by timeout can never pass as a notification. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Median wake-up latency over a series: notifications take milliseconds, polling every second ~500 ms. */
    static final Duration MEDIAN_BOUND = Duration.ofMillis(200);
    /** 95th percentile over a series of {@value #ITERATIONS}. */
    static final Duration P95_BOUND = Duration.ofSeconds(1);
    /** Any single wake-up (also how long a test waits for one before failing). */
    static final Duration SINGLE_BOUND = Duration.ofSeconds(3);
    /** Waits measured in the latency series of case 1. */
    static final int ITERATIONS = 50;
    /** Waits measured in the shorter series of the other cases. */
    static final int SHORT_SERIES = 10;
    /** Threads using node A while its LISTEN connection is killed (A's pool has 4 connections, one LISTENs). */
    static final int CLIENTS = 8;
    /** Pause between two requests of such a client. */
    static final Duration CLIENT_PACE = Duration.ofMillis(2);
    /** Fresh stores built in the subscribe-then-change test. */
    static final int FRESH_STORES = 3;
    /** How late the LISTEN thread of those stores gets its connection. */
    static final Duration SLOW_LISTEN_CONNECT = Duration.ofMillis(300);

    static String url;
    static Node a;
    static Node b;

    /** One node: a JobService on its own store and pool. */
    record Node(String name, JdbcJobStore store, JobService service) implements AutoCloseable {
        static Node start(String name) {
            JdbcJobStore store = JdbcJobStore.builder().jdbcUrl(withApplicationName(url, "crossnode-" + name))
                    .schema(SCHEMA).poolName("crossnode-" + name).maximumPoolSize(4)
                    .listenerBackoff(Duration.ofMillis(100), Duration.ofMillis(500)).build();
            JobList list = JobList.builder(LIST).definition(JobDefinition.builder("noop").build()).build();
            try {
                return new Node(name, store, JobService.builder().store(store).jobList(list).build());
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }

        @Override
        public void close() {
            service.close();
            store.close();
        }
    }

    @BeforeAll
    static void twoNodes() {
        url = PgSupport.url();
        PgSupport.exec(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        a = Node.start("a");
        b = Node.start("b");
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(10),
                () -> a.store.isListening() && b.store.isListening(), "both nodes LISTEN", () -> "not yet");
    }

    @AfterAll
    static void stopNodes() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void aWaiterOnAWakesWithQueuedWhenBRunsThePendingJob() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            Job job = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
            assertThat(job.phase()).isEqualTo(Phase.PENDING);
            Wake w = wake(job.jobId(), null, () -> b.service.run(SYSTEM, LIST, job.jobId()));
            assertThat(w.error).as("iteration %d", i).isNull();
            assertThat(w.job.phase()).as("A's snapshot after B's RUN, iteration %d", i).isEqualTo(Phase.QUEUED);
            assertThat(w.job.version()).isGreaterThan(job.version());
            latencies.add(w.nanos);
        }
        assertSeries("1 PENDING->QUEUED (B runs)", latencies, true);
    }

    @Test
    void aWaiterWithTheExpectedPhaseWakesWithAbortedWhenBAborts() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < SHORT_SERIES; i++) {
            Job job = b.service.create(SYSTEM, LIST, JobRequest.builder().run().build());
            assertThat(job.phase()).isEqualTo(Phase.QUEUED);
            Wake w = wake(job.jobId(), Phase.QUEUED, () -> b.service.abort(SYSTEM, LIST, job.jobId()));
            assertThat(w.error).as("iteration %d", i).isNull();
            assertThat(w.job.phase()).as("A's snapshot after B's ABORT, iteration %d", i).isEqualTo(Phase.ABORTED);
            latencies.add(w.nanos);
        }
        assertSeries("2 QUEUED->ABORTED (B aborts, A expects QUEUED)", latencies, false);

        Job other = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
        assertThat(a.service.awaitChange(SYSTEM, LIST, other.jobId(), WAIT, Phase.QUEUED))
                .as("a waiter expecting another phase than the current one returns at once").isCompletedWithValueMatching(
                        j -> j.phase() == Phase.PENDING);
    }

    @Test
    void aWaiterWakesWithJobNotFoundWhenBDestroysTheJob() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < SHORT_SERIES; i++) {
            Job job = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
            // what B's engine does after aborting (reaper) and what DELETE ends with: the row goes, no phase change
            // (B's destroy of a job without blobs or listeners is exactly this delete on its store)
            Wake w = wake(job.jobId(), Phase.PENDING, () -> b.store.delete(job.jobId()));
            assertThat(w.error).as("iteration %d: A's waiter fails with JobNotFoundException", i)
                    .isInstanceOf(JobNotFoundException.class).hasMessageContaining(job.jobId());
            latencies.add(w.nanos);
        }
        assertSeries("3a deleted (B destroys the row)", latencies, false);

        // DELETE through the API aborts an active job first, then deletes it: A sees whichever it reads first, the
        // ABORTED snapshot or the deletion (JobService#awaitChange: the next phase change, or JobNotFoundException)
        latencies.clear();
        int sawAborted = 0;
        int sawDeleted = 0;
        for (int i = 0; i < SHORT_SERIES; i++) {
            Job job = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
            Wake w = wake(job.jobId(), null, () -> b.service.delete(SYSTEM, LIST, job.jobId()));
            if (w.error == null) {
                assertThat(w.job.phase()).as("iteration %d", i).isEqualTo(Phase.ABORTED);
                sawAborted++;
            } else {
                assertThat(w.error).as("iteration %d", i).isInstanceOf(JobNotFoundException.class);
                sawDeleted++;
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.service.get(SYSTEM, LIST, job.jobId()))
                    .isInstanceOf(JobNotFoundException.class);
            latencies.add(w.nanos);
        }
        assertSeries("3b DELETE (B aborts, then deletes; A saw ABORTED " + sawAborted + "x, not found "
                + sawDeleted + "x)", latencies, false);
    }

    @Test
    void afterItsListenConnectionIsKilledTheStoreReconnectsAndWaitersWakeAgain() throws Exception {
        Job job = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
        CompletableFuture<Job> early = a.service.awaitChange(SYSTEM, LIST, job.jobId(), WAIT, null);
        long before = listenerPid("crossnode-a");
        assertThat(before).as("A's LISTEN connection in pg_stat_activity").isPositive();

        // clients keep using node A meanwhile: the store is up, so none of their requests may fail
        List<Throwable> clientErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong clientRequests = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        a.service.get(SYSTEM, LIST, job.jobId());
                        clientRequests.incrementAndGet();
                    } catch (RuntimeException e) {
                        clientErrors.add(e);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(CLIENT_PACE.toNanos());
                }
            }, "crossnode-client-" + i);
            th.start();
            clients.add(th);
        }
        Duration down;
        double reconnectMs;
        try {
            Await.until(Duration.ofSeconds(5), Duration.ofMillis(5), () -> clientRequests.get() >= 3L * CLIENTS,
                    "clients running", () -> clientRequests + " requests");

            long t = System.nanoTime();
            assertThat(terminateListener("crossnode-a")).as("backends terminated").isEqualTo(1);
            down = Await.until(Duration.ofSeconds(5), Duration.ofMillis(5), () -> !a.store.isListening(),
                    "A's store notices the lost LISTEN connection", () -> "still listening");
            Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> {
                long now = listenerPid("crossnode-a");
                return a.store.isListening() && now > 0 && now != before;
            }, "A's store LISTENs again on a new connection", () -> "pid " + listenerPid("crossnode-a"));
            reconnectMs = (System.nanoTime() - t) / 1e6;
            long requestsAtReconnect = clientRequests.get();
            Await.until(Duration.ofSeconds(5), Duration.ofMillis(5),
                    () -> clientRequests.get() >= requestsAtReconnect + 3L * CLIENTS,
                    "clients keep going after the reconnection", () -> clientRequests + " requests");
        } finally {
            stop.set(true);
            for (Thread th : clients) {
                th.join(5_000);
            }
        }
        assertThat(clientErrors).as("requests of clients on A while its LISTEN connection died and came back")
                .isEmpty();
        assertThat(early).as("the kill does not complete a waiter").isNotDone();

        // the waiter registered before the kill wakes on a change made after the reconnection
        AtomicLong doneAt = new AtomicLong();
        CompletableFuture<Job> timed = early.whenComplete((r, e) -> doneAt.set(System.nanoTime()));
        long t0 = System.nanoTime();
        b.service.run(SYSTEM, LIST, job.jobId());
        assertThat(timed.get(SINGLE_BOUND.toMillis(), TimeUnit.MILLISECONDS).phase()).isEqualTo(Phase.QUEUED);
        long earlyNanos = doneAt.get() - t0;
        assertThat(Duration.ofNanos(earlyNanos)).isLessThan(SINGLE_BOUND);

        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < SHORT_SERIES; i++) {
            Job next = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
            Wake w = wake(next.jobId(), Phase.PENDING, () -> b.service.run(SYSTEM, LIST, next.jobId()));
            assertThat(w.error).isNull();
            assertThat(w.job.phase()).isEqualTo(Phase.QUEUED);
            latencies.add(w.nanos);
        }
        System.out.printf("CROSSNODE 4 LISTEN killed: noticed in %d ms, listening again on a new backend %.0f ms "
                + "after the kill; %d client requests on A meanwhile, %d failed; waiter from before the kill woke "
                + "%.1f ms after B's RUN%n", down.toMillis(), reconnectMs, clientRequests.get(), clientErrors.size(),
                earlyNanos / 1e6);
        assertSeries("4 after reconnection", latencies, false);
    }

    /**
     * A change committed while A's LISTEN connection is down is never NOTIFYed to A; the store's resync signal after
     * the re-LISTEN makes A re-read the waited job. B changes the job right after A's LISTEN backend is killed, so
     * the commit falls into the reconnection gap (about {@code minBackoff} plus a connect); each waiter must wake
     * within {@link #SINGLE_BOUND}, not by its {@link #WAIT} timeout. Counts the iterations whose change A's feed
     * never reported (the gap was hit) and requires at least one, or the case did not test the gap.
     */
    @Test
    void aChangeCommittedWhileTheListenConnectionIsDownStillWakesTheWaiter() throws Exception {
        Set<String> reported = ConcurrentHashMap.newKeySet();
        AtomicLong resyncs = new AtomicLong();
        List<Long> latencies = new ArrayList<>();
        int gapHits = 0;
        try (AutoCloseable sub = a.store.subscribe(c -> {
            if (c.isResync()) {
                resyncs.incrementAndGet();
            } else if (c.phase() == Phase.QUEUED) {
                reported.add(c.jobId());
            }
        })) {
            for (int i = 0; i < SHORT_SERIES; i++) {
                awaitListening("A LISTENs before iteration " + i);
                long pid = listenerPid("crossnode-a");
                Job job = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
                int iteration = i;
                Wake w = wake(job.jobId(), Phase.PENDING, () -> {
                    assertThat(terminateListener("crossnode-a")).as("iteration %d: backends terminated", iteration)
                            .isEqualTo(1);
                    b.service.run(SYSTEM, LIST, job.jobId());
                });
                assertThat(w.error).as("iteration %d", i).isNull();
                assertThat(w.job.phase()).as("iteration %d", i).isEqualTo(Phase.QUEUED);
                latencies.add(w.nanos);
                Await.until(Duration.ofSeconds(10), Duration.ofMillis(10), () -> {
                    long now = listenerPid("crossnode-a");
                    return a.store.isListening() && now > 0 && now != pid;
                }, "A LISTENs again on a new connection", () -> "pid " + listenerPid("crossnode-a"));
                // NOTIFYs are not replayed: one not reported once A LISTENs again never will be
                if (!reported.contains(job.jobId())) {
                    gapHits++;
                }
            }
            Await.until(Duration.ofSeconds(5), Duration.ofMillis(5), () -> resyncs.get() >= SHORT_SERIES,
                    "one resync signal per re-LISTEN", () -> resyncs + " resyncs");
        }
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        System.out.printf("CROSSNODE 6 B changes the job right after A's LISTEN backend is killed: %d of %d changes "
                + "never NOTIFYed to A, %d resync signals; wake-up latency (from the kill) median %.1f ms, max %.1f ms, "
                + "min %.1f ms%n", gapHits, SHORT_SERIES, resyncs.get(), sorted.get(sorted.size() / 2) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.get(0) / 1e6);
        // the gap's wake-ups take a reconnection (back-off plus connect), so only the single bound applies
        assertThat(Duration.ofNanos(sorted.get(sorted.size() - 1))).as("max wake-up latency").isLessThan(SINGLE_BOUND);
        assertThat(gapHits).as("iterations whose change fell into A's reconnection gap").isPositive();
    }

    static void awaitListening(String what) {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(10),
                () -> a.store.isListening() && listenerPid("crossnode-a") > 0, what, () -> "not yet");
    }

    /**
     * The JobChangeFeed contract: a change committed after {@code subscribe} returned is reported. A JobService
     * subscribes when it is built, so a WAIT on a node that has just started must not miss B's change because the
     * LISTEN connection was still being opened. The host pool here is slow to lend the listener its connection
     * ({@link #SLOW_LISTEN_CONNECT}, as a new connection to a remote server or a busy pool may be).
     */
    @Test
    void aChangeCommittedRightAfterSubscribeReturnsIsReported() throws Exception {
        com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(3);
        cfg.setPoolName("crossnode-host");
        List<String> missed = new ArrayList<>();
        try (com.zaxxer.hikari.HikariDataSource host = new com.zaxxer.hikari.HikariDataSource(cfg)) {
            javax.sql.DataSource slowListen = new SlowListenDataSource(host);
            for (int i = 0; i < FRESH_STORES; i++) {
                try (JdbcJobStore fresh = JdbcJobStore.builder().dataSource(slowListen).schema(SCHEMA)
                        .poolName("crossnode-fresh" + i).build()) {
                    Set<String> seen = ConcurrentHashMap.newKeySet();
                    try (AutoCloseable sub = fresh.subscribe(c -> {
                        if (!c.isResync()) {
                            seen.add(c.jobId());
                        }
                    })) {
                        Job job = b.service.create(SYSTEM, LIST, JobRequest.builder().build());
                        try {
                            Await.until(SINGLE_BOUND, Duration.ofMillis(5), () -> seen.contains(job.jobId()),
                                    "fresh store reports the change", () -> seen.size() + " seen");
                        } catch (AssertionError e) {
                            missed.add(job.jobId());
                        }
                    }
                }
            }
        }
        assertThat(missed).as("changes committed right after subscribe() returned, never reported").isEmpty();
    }

    /**
     * A store on a host application's pool gives the LISTEN connection back when it closes: not still listening,
     * or the host's session would keep collecting every job change of the cluster in the driver's memory.
     */
    @Test
    void aStoreOnAHostPoolGivesItsListenConnectionBackNotListening() throws Exception {
        com.zaxxer.hikari.HikariConfig cfg = new com.zaxxer.hikari.HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(2);
        cfg.setPoolName("crossnode-host2");
        try (com.zaxxer.hikari.HikariDataSource host = new com.zaxxer.hikari.HikariDataSource(cfg)) {
            try (JdbcJobStore store = JdbcJobStore.builder().dataSource(host).schema(SCHEMA)
                    .poolName("crossnode-hosted").build()) {
                store.subscribe(c -> { }).close();
                Await.until(Duration.ofSeconds(5), Duration.ofMillis(5), store::isListening, "listening",
                        () -> "not yet");
            }
            try (Connection c1 = host.getConnection(); Connection c2 = host.getConnection()) {
                for (Connection c : List.of(c1, c2)) {
                    try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM pg_listening_channels()")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("channels a host pool connection listens to").isZero();
                    }
                }
            }
        }
    }

    /** Lends connections of a pool, {@link #SLOW_LISTEN_CONNECT} late to a store's LISTEN thread. */
    record SlowListenDataSource(javax.sql.DataSource pool) implements javax.sql.DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            if (Thread.currentThread().getName().endsWith("-listen")) {
                java.util.concurrent.locks.LockSupport.parkNanos(SLOW_LISTEN_CONNECT.toNanos());
            }
            return pool.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            throw new SQLException("not used");
        }

        @Override
        public java.io.PrintWriter getLogWriter() throws SQLException {
            return pool.getLogWriter();
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) throws SQLException {
            pool.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            pool.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return pool.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return pool.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return pool.isWrapperFor(iface);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** How A's wait on a job ended after B's action: the snapshot or the error, and the latency. */
    record Wake(Job job, Throwable error, long nanos) {
    }

    /** A waits on the job (and is really waiting); then B acts; returns how and how fast A's future completed. */
    static Wake wake(String jobId, Phase expected, Runnable actionOnB) throws InterruptedException {
        CompletableFuture<Job> f = a.service.awaitChange(SYSTEM, LIST, jobId, WAIT, expected);
        assertThat(f).as("A is waiting on %s before B acts", jobId).isNotDone();
        AtomicLong doneAt = new AtomicLong();
        CompletableFuture<Job> timed = f.whenComplete((r, e) -> doneAt.set(System.nanoTime()));
        long t0 = System.nanoTime();
        actionOnB.run();
        Job job = null;
        Throwable error = null;
        try {
            job = timed.get(SINGLE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            error = e.getCause();
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new AssertionError("A's waiter on " + jobId + " did not wake within " + SINGLE_BOUND
                    + " of B's change (its own timeout is " + WAIT + ")");
        }
        return new Wake(job, error, doneAt.get() - t0);
    }

    /** Prints median, p95 and max, and asserts the bounds (p95 only for the long series). */
    static void assertSeries(String what, List<Long> nanos, boolean withP95) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        long median = sorted.get(sorted.size() / 2);
        long p95 = sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        long max = sorted.get(sorted.size() - 1);
        System.out.printf("CROSSNODE %s: n=%d wake-up latency median %.1f ms, p95 %.1f ms, max %.1f ms, min %.1f ms%n",
                what, sorted.size(), median / 1e6, p95 / 1e6, max / 1e6, sorted.get(0) / 1e6);
        assertThat(Duration.ofNanos(median)).as("%s: median wake-up latency", what).isLessThan(MEDIAN_BOUND);
        if (withP95) {
            assertThat(Duration.ofNanos(p95)).as("%s: p95 wake-up latency", what).isLessThan(P95_BOUND);
        }
        assertThat(Duration.ofNanos(max)).as("%s: max wake-up latency", what).isLessThan(SINGLE_BOUND);
    }

    static String withApplicationName(String jdbcUrl, String name) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "ApplicationName=" + name;
    }

    private static final String LISTENER = " FROM pg_stat_activity WHERE application_name = ? AND query ILIKE 'LISTEN%'"
            + " AND datname = current_database()";

    /** The backend pid of the LISTEN connection of the pool with that application name, or -1. */
    static long listenerPid(String applicationName) {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT pid" + LISTENER)) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                long pid = -1;
                int n = 0;
                while (rs.next()) {
                    pid = rs.getLong(1);
                    n++;
                }
                assertThat(n).as("LISTEN backends of %s", applicationName).isLessThanOrEqualTo(1);
                return pid;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Terminates the LISTEN backend of the pool with that application name; returns how many were terminated. */
    static int terminateListener(String applicationName) {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid))"
                     + LISTENER)) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
