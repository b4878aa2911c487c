package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uwskit.BlobKind;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.uwskit.jdbc.JdbcJobStore;
import org.uwskit.memory.FileResultStore;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.internal.CallbackTokens;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobStore;
import org.uwskit.testkit.Await;

/**
 * Two front-end nodes on one real PostgreSQL (two {@link JdbcJobStore}s on one schema, two job services, two engines
 * with 2 s leases, each with its own {@link SlurmBackend}) against the real SLURM, through each transport: every UWS
 * job is submitted to SLURM once, by one node, and polled by that node alone; the sets of SLURM jobs the nodes poll
 * are disjoint and cover every job. Then node A dies while its jobs wait and run in SLURM (its connection pool is
 * closed first, so nothing more of it reaches the database, then its threads are stopped; its leases are never
 * released): once they lapse, node B re-attaches them by their stored SLURM ids, submits nothing again, and from then
 * on B alone polls them; every job completes once with its results, one SLURM job per UWS job in the completion log.
 */
class SlurmClusterIT {
    static final String SCHEMA = "it_slurm_cluster";
    static final String LIST = "sleep";
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration POLL = Duration.ofMillis(50);
    /** Each node runs at most this many jobs at once, so that each takes its share of a burst of 2 × SLOTS jobs. */
    static final int SLOTS = 2;
    /** The callback secret the nodes share. */
    static final byte[] SECRET = "a secret the front-end nodes share".getBytes(StandardCharsets.UTF_8);

    final List<Node> nodes = new ArrayList<>();
    Path work;

    /** What one node asked SLURM, through a decorator around its real session. */
    static final class CountingSession extends ForwardingSession {
        /** SLURM job id by marker ({@code uws-<jobId>}), for every job this node submitted. */
        final Map<String, String> submitted = new ConcurrentHashMap<>();
        final List<String> submissions = new CopyOnWriteArrayList<>();
        /** Every SLURM job id (or marker looked up by name) this node asked about, with when (nanoTime). */
        final List<Asked> asked = new CopyOnWriteArrayList<>();

        record Asked(String id, long at) {
        }

        CountingSession(JobSession inner) {
            super(inner);
        }

        Set<String> askedAbout() {
            return asked.stream().map(Asked::id).collect(Collectors.toSet());
        }

        Set<String> askedAbout(long from, long to) {
            return asked.stream().filter(a -> a.at() >= from && a.at() < to).map(Asked::id)
                    .collect(Collectors.toSet());
        }

        @Override
        public String runJob(JobTemplate t) throws BackendException {
            String id = inner.runJob(t);
            submissions.add(t.jobName());
            submitted.put(t.jobName(), id);
            return id;
        }

        @Override
        public Map<String, List<String>> jobIdsByName(Collection<String> names) throws BackendException {
            long now = System.nanoTime();
            names.forEach(n -> asked.add(new Asked(n, now)));
            return inner.jobIdsByName(names);
        }

        @Override
        public Map<String, JobInfo> jobInfos(Collection<String> ids) throws BackendException {
            long now = System.nanoTime();
            ids.forEach(id -> asked.add(new Asked(id, now)));
            return inner.jobInfos(ids);
        }
    }

    /** One front-end node: its own pool on the shared schema, job service, engine and SLURM backend. */
    final class Node implements AutoCloseable {
        final String id;
        final JdbcJobStore store;
        final JobService service;
        final Partition partition;
        final CountingSession session;
        final SlurmBackend backend;
        final Engine engine;
        volatile long diedAt = Long.MAX_VALUE;

        Node(String id, String url, String transport) {
            this.id = id;
            store = JdbcJobStore.builder().jdbcUrl(url).schema(SCHEMA).poolName("slurm-cluster-" + id)
                    .maximumPoolSize(4).build();
            partition = new Partition(store);
            JobList list = JobList.builder(LIST).definition(JobDefinition.builder(LIST).build())
                    .policy(JobListPolicy.builder().maxExecutingJobs(SLOTS).build()).build();
            // results on a file system both nodes share, as the work root
            service = JobService.builder().store(partition.store())
                    .resultStore(new FileResultStore(work.resolve("results"))).jobList(list).build();
            session = new CountingSession(SlurmSupport.session(transport));
            backend = SlurmBackend.builder().name("slurm").session(session).workRoot(work)
                    .jobCompLog(SlurmSupport.jobComp()).pollInterval(Duration.ofMillis(200))
                    .limits(new SlurmLimits(64, 1024, 60, Set.of(), null))
                    .jobType(LIST, SlurmEngineFixture.types().get("sleep")).callbackSecret(SECRET).build();
            engine = Engine.builder(service).nodeId(id).backend(backend).pollInterval(Duration.ofMillis(200))
                    .housekeepingInterval(Duration.ofMillis(200)).leaseDuration(LEASE)
                    .shutdownGrace(Duration.ofSeconds(2)).build();
            engine.start();
        }

        /**
         * Dies: the pool is closed first, so that nothing of this node reaches the database any more (no lease
         * renewed or released, no event stored), then its engine's threads and its backend's poll thread stop. The
         * SLURM jobs it follows keep running.
         */
        void die() {
            store.close();
            engine.close();
            diedAt = System.nanoTime();
        }

        @Override
        public void close() {
            engine.close();
            service.close();
            store.close();
        }
    }

    /**
     * A node's way to its database, which the test can cut while the node lives on (every call then fails as an
     * unreachable database does, with {@link StoreUnavailableException}); the change feed stays connected.
     */
    static final class Partition implements InvocationHandler {
        final JdbcJobStore real;
        volatile boolean cut;

        Partition(JdbcJobStore real) {
            this.real = real;
        }

        JobStore store() {
            return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                    new Class<?>[] {JobStore.class, JobChangeFeed.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getName().equals("equals") && args != null && args.length == 1) {
                return proxy == args[0];
            }
            if (cut && m.getDeclaringClass() != Object.class && !m.getName().equals("close")) {
                throw new StoreUnavailableException("the test cut this node off from PostgreSQL", null);
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @AfterEach
    void tearDown() {
        for (Node n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                // closed already
            }
            for (String slurmId : n.session.submitted.values()) {
                SlurmSupport.admin("scancel", slurmId);
            }
        }
    }

    /** Two nodes on a fresh schema, node A first. */
    void startNodes(String transport) throws IOException {
        String url = SlurmPg.url();
        SlurmSupport.env();
        SlurmPg.exec(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        work = Files.createDirectories(Path.of("target", "slurm-work").toAbsolutePath()
                .resolve("cluster-" + transport + "-" + System.nanoTime()));
        nodes.add(new Node("node-a-" + transport, url, transport));
        nodes.add(new Node("node-b-" + transport, url, transport));
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void eachSlurmJobIsSubmittedAndPolledByOneNodeAlsoAfterANodeDied(String transport) throws Exception {
        long t0 = System.nanoTime();
        startNodes(transport);
        Node a = nodes.get(0);
        Node b = nodes.get(1);

        // 1. Both nodes up: 2 × SLOTS jobs created through both services; each node takes SLOTS of them.
        List<Job> first = burst(transport + "-1", 1);
        for (Job j : first) {
            Job done = awaitPhase(j, Phase.COMPLETED);
            assertThat(result(done, "done.txt")).isEqualTo("done\n");
            assertThat(done.results()).extracting(r -> r.id()).contains("stdout", "stderr", "done.txt");
        }
        assertSubmittedOnceEach(first);
        assertThat(a.session.submitted).as("node A's share").hasSize(SLOTS);
        assertThat(b.session.submitted).as("node B's share").hasSize(SLOTS);
        Set<String> polledA = polledOf(a, first);
        Set<String> polledB = polledOf(b, first);
        assertThat(polledA).as("the jobs node A polls: those it submitted")
                .isEqualTo(slurmIdsOf(a.session, first));
        assertThat(polledB).as("the jobs node B polls: those it submitted")
                .isEqualTo(slurmIdsOf(b.session, first));
        assertThat(intersection(polledA, polledB)).as("SLURM jobs both nodes polled").isEmpty();
        assertThat(union(polledA, polledB)).as("every SLURM job is polled").isEqualTo(allSlurmIds(first));
        long phase1 = System.nanoTime();

        // 2. Node A dies while its jobs of a second burst wait or run in SLURM.
        List<Job> second = burst(transport + "-2", 3);
        Set<String> ofA = slurmIdsOf(a.session, second);
        Set<String> ofB = slurmIdsOf(b.session, second);
        assertThat(ofA).as("node A's share").hasSize(SLOTS);
        assertThat(ofB).as("node B's share").hasSize(SLOTS);
        List<Job> jobsOfA = second.stream().filter(j -> a.session.submitted.containsKey(marker(j))).toList();
        Await.until(WAIT, POLL, () -> jobsOfA.stream().anyMatch(j -> get(j).phase() == Phase.EXECUTING),
                "a job of node A EXECUTING", () -> phases(jobsOfA));
        int submittedByB = b.session.submissions.size();
        a.die();
        long died = a.diedAt;
        for (Job j : jobsOfA) {
            await(j, "re-attached by node B", x -> x.phase().isFinished()
                    || x.lease() != null && x.lease().nodeId().equals(b.id));
        }
        long takenOver = System.nanoTime();
        for (Job j : second) {
            Job done = awaitPhase(j, Phase.COMPLETED);
            assertThat(result(done, "done.txt")).isEqualTo("done\n");
            assertThat(SlurmEngineFixture.path(done)).as("one run: no phase repeated")
                    .containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        }
        long end = System.nanoTime();
        assertThat(b.session.submissions).as("node B submitted nothing again").hasSize(submittedByB);
        assertSubmittedOnceEach(second);
        assertThat(a.session.askedAbout(died, Long.MAX_VALUE)).as("node A asked SLURM nothing after it died")
                .isEmpty();
        assertThat(intersection(polledOf(a, second), polledOf(b, second, Long.MIN_VALUE, died)))
                .as("SLURM jobs both nodes polled before A died").isEmpty();
        assertThat(polledOf(b, second, died, Long.MAX_VALUE)).as("after A died, B polls A's jobs too")
                .containsAll(ofA);
        assertThat(polledOf(a, second)).as("node A polled only its own jobs").isSubsetOf(ofA);
        assertThat(union(polledOf(a, second), polledOf(b, second))).isEqualTo(allSlurmIds(second));
        for (Job j : second) {
            assertThat(Files.readAllLines(work.resolve("runs-" + tag(j) + ".txt"))).as("runs of " + tag(j))
                    .containsExactly("run");
        }
        List<Job> all = new ArrayList<>(first);
        all.addAll(second);
        assertOneSlurmJobEachInTheCompletionLog(all);
        System.out.printf("SlurmClusterIT %s: 2 nodes, lease %d s; burst 1 (%d jobs) done in %d ms; node A died"
                        + " with %d jobs in SLURM, node B re-attached them %d ms later and all %d jobs of burst 2"
                        + " were COMPLETED %d ms after the death; total %d ms%n", transport, LEASE.toSeconds(),
                first.size(), (phase1 - t0) / 1_000_000, jobsOfA.size(), (takenOver - died) / 1_000_000,
                second.size(), (end - died) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Node A lives but is cut off from PostgreSQL for longer than its lease while its jobs wait and run in SLURM:
     * node B re-attaches them; when A reaches the database again it finds B's leases, and its backend stops
     * following those jobs (it no longer polls them, nothing is cancelled). Before the engine detached a reattachable
     * backend from a job taken over, A went on polling it to its end, next to B.
     */
    @ParameterizedTest
    @ValueSource(strings = {"commands"})
    void aNodeCutOffFromTheDatabaseStopsPollingTheJobsAnotherNodeTookOver(String transport) throws Exception {
        startNodes(transport);
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        List<Job> jobs = burst(transport + "-cut", 5);
        Set<String> ofA = slurmIdsOf(a.session, jobs);
        assertThat(ofA).as("node A's share").hasSize(SLOTS);
        List<Job> jobsOfA = jobs.stream().filter(j -> a.session.submitted.containsKey(marker(j))).toList();
        assertThat(a.backend.activeJobs()).isEqualTo(SLOTS);
        int submittedByB = b.session.submissions.size();
        a.partition.cut = true;
        long cut = System.nanoTime();
        for (Job j : jobsOfA) {
            await(j, "re-attached by node B", x -> x.lease() != null && x.lease().nodeId().equals(b.id));
        }
        long takenOver = System.nanoTime();
        assertThat(a.backend.activeJobs()).as("node A, cut off, still follows its jobs").isEqualTo(SLOTS);
        a.partition.cut = false;
        Await.until(WAIT, POLL, () -> a.backend.activeJobs() == 0, "node A's backend follows no job",
                () -> a.backend.activeJobs() + " jobs");
        long detached = System.nanoTime();
        for (Job j : jobsOfA) { // a callback of such a job, if it reached node A, is refused there and taken by B
            String token = new CallbackTokens(SECRET).token(j.jobId());
            byte[] body = "status=0".getBytes(StandardCharsets.UTF_8);
            assertThat(a.backend.receive(j.jobId(), "ended", token, body).outcome())
                    .isEqualTo(CallbackReceiver.Outcome.NOT_FOUND);
            assertThat(b.backend.receive(j.jobId(), "ended", token, body).outcome())
                    .isEqualTo(CallbackReceiver.Outcome.ACCEPTED);
        }
        for (Job j : jobs) {
            Job done = awaitPhase(j, Phase.COMPLETED);
            assertThat(result(done, "done.txt")).isEqualTo("done\n");
            assertThat(SlurmEngineFixture.path(done)).containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING,
                    Phase.COMPLETED);
        }
        long end = System.nanoTime();
        // one poll cycle may have been under way when the backend let go of the jobs
        assertThat(polledOf(a, jobs, detached + 500_000_000L, Long.MAX_VALUE))
                .as("SLURM jobs node A polled after it found them taken over").isEmpty();
        assertThat(polledOf(b, jobs, detached + 500_000_000L, Long.MAX_VALUE))
                .as("node B polls A's jobs on, after A let go of them (before they ended)").containsAll(ofA);
        assertThat(b.session.submissions).as("node B submitted nothing again").hasSize(submittedByB);
        assertSubmittedOnceEach(jobs);
        assertOneSlurmJobEachInTheCompletionLog(jobs);
        for (Job j : jobs) {
            assertThat(Files.readAllLines(work.resolve("runs-" + tag(j) + ".txt"))).containsExactly("run");
        }
        System.out.printf("SlurmClusterIT %s: node A cut off from PostgreSQL; node B re-attached its %d jobs %d ms"
                        + " later; node A let go of them %d ms after it reached the database again; all done %d ms"
                        + " after the cut%n", transport, jobsOfA.size(), (takenOver - cut) / 1_000_000,
                (detached - takenOver) / 1_000_000, (end - cut) / 1_000_000);
    }

    /** 2 × SLOTS jobs of {@code seconds} each, half created through each node, all submitted to SLURM. */
    List<Job> burst(String tagPrefix, int seconds) throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 2 * SLOTS; i++) {
            JobService s = nodes.get(i % 2).service;
            jobs.add(s.create(SlurmEngineFixture.ALICE, LIST, JobRequest.builder().run().executionDuration(600L)
                    .parameter("TAG", tagPrefix + "-" + i).parameter("SECONDS", Integer.toString(seconds)).build()));
        }
        for (Job j : jobs) {
            await(j, "submitted", x -> x.jobInfo().containsKey("slurmJobId"));
        }
        return jobs;
    }

    static String marker(Job j) {
        return "uws-" + j.jobId();
    }

    static String tag(Job j) {
        return j.parameters().stream().filter(p -> p.name().equals("TAG")).findFirst().orElseThrow().value();
    }

    /** Each job submitted exactly once overall, by one node, and its SLURM id the one its jobInfo shows. */
    void assertSubmittedOnceEach(List<Job> jobs) {
        for (Job j : jobs) {
            long times = nodes.stream().flatMap(n -> n.session.submissions.stream())
                    .filter(m -> m.equals(marker(j))).count();
            assertThat(times).as("submissions of job " + j.jobId()).isEqualTo(1);
            String id = nodes.stream().map(n -> n.session.submitted.get(marker(j))).filter(x -> x != null)
                    .findFirst().orElseThrow();
            assertThat(get(j).jobInfo()).containsEntry("slurmJobId", id);
        }
    }

    void assertOneSlurmJobEachInTheCompletionLog(List<Job> jobs) throws InterruptedException {
        Await.until(WAIT, POLL, () -> {
            Map<String, Integer> ended = SlurmSupport.endedInSlurm();
            return jobs.stream().allMatch(j -> ended.containsKey(marker(j)));
        }, "every job in the completion log", () -> "");
        Map<String, Integer> ended = SlurmSupport.endedInSlurm();
        for (Job j : jobs) {
            assertThat(ended.get(marker(j))).as("SLURM jobs named " + marker(j)).isEqualTo(1);
        }
    }

    Set<String> slurmIdsOf(CountingSession s, List<Job> jobs) {
        return jobs.stream().map(j -> s.submitted.get(marker(j))).filter(x -> x != null).collect(Collectors.toSet());
    }

    Set<String> allSlurmIds(List<Job> jobs) {
        Set<String> all = new HashSet<>();
        nodes.forEach(n -> all.addAll(slurmIdsOf(n.session, jobs)));
        assertThat(all).hasSize(jobs.size());
        return all;
    }

    /** The SLURM jobs (of {@code jobs}) a node polled. */
    Set<String> polledOf(Node n, List<Job> jobs) {
        return polledOf(n, jobs, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    Set<String> polledOf(Node n, List<Job> jobs, long from, long to) {
        Set<String> ids = allSlurmIds(jobs);
        Set<String> asked = n.session.askedAbout(from, to);
        // a marker looked up by name counts as its SLURM job
        Map<String, String> byMarker = new ConcurrentHashMap<>();
        nodes.forEach(x -> byMarker.putAll(x.session.submitted));
        return asked.stream().map(a -> byMarker.getOrDefault(a, a)).filter(ids::contains).collect(Collectors.toSet());
    }

    static Set<String> intersection(Set<String> x, Set<String> y) {
        Set<String> s = new HashSet<>(x);
        s.retainAll(y);
        return s;
    }

    static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> s = new HashSet<>(x);
        s.addAll(y);
        return s;
    }

    /** The job as the surviving node's service sees it. */
    Job get(Job j) {
        return nodes.get(1).service.get(SlurmEngineFixture.ALICE, LIST, j.jobId());
    }

    String phases(List<Job> jobs) {
        return jobs.stream().map(j -> j.jobId() + "=" + get(j).phase()).collect(Collectors.joining(", "));
    }

    Job await(Job j, String what, Predicate<Job> p) throws InterruptedException {
        AtomicReference<Job> cur = new AtomicReference<>(get(j));
        Await.until(WAIT, POLL, () -> p.test(cur.updateAndGet(x -> get(j))), "job " + j.jobId() + " " + what,
                () -> cur.get().phase() + " " + cur.get().lease() + " " + cur.get().jobInfo() + " "
                        + cur.get().error());
        return cur.get();
    }

    Job awaitPhase(Job j, Phase phase) throws InterruptedException {
        return await(j, phase.name(), x -> x.phase() == phase);
    }

    String result(Job j, String id) throws IOException {
        try (InputStream in = new FileResultStore(work.resolve("results")).read(j.jobId(), BlobKind.RESULT, id, 0,
                -1)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
