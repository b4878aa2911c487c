package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.uwskit.Phase;

/**
 * Two nodes (each a JobService + Engine with its own JdbcJobStore and pool) share one PostgreSQL database and run
 * 10,000 short jobs created through both: every job completes exactly once, none is lost, both nodes take work.
 */
class ClusterIT {
    static final int JOBS = 10_000;
    static final String SCHEMA = "it_cluster";
    static final String LIST = "cluster";

    @Test
    void twoEnginesRunTenThousandJobsEachExactlyOnce() throws Exception {
        String url = PgSupport.url();
        PgSupport.exec(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        CountingBackend.CountingMap counts = new CountingBackend.CountingMap();
        List<AutoCloseable> closeLast = new ArrayList<>();
        List<JobService> services = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        JdbcJobStore probe = null;
        try {
            for (String node : List.of("node-a", "node-b")) {
                JdbcJobStore store = JdbcJobStore.builder().jdbcUrl(url).schema(SCHEMA).poolName("cluster-" + node)
                        .maximumPoolSize(8).build();
                closeLast.add(store);
                JobList list = JobList.builder(LIST).definition(JobDefinition.builder("noop").build())
                        .policy(JobListPolicy.builder().maxExecutingJobs(16).build()).build();
                JobService service = JobService.builder().store(store).jobList(list).build();
                services.add(service);
                Engine engine = Engine.builder(service).nodeId(node).backend(new CountingBackend(node, 8, counts))
                        .pollInterval(Duration.ofMillis(200)).build();
                engines.add(engine);
            }
            probe = JdbcJobStore.builder().jdbcUrl(url).schema(SCHEMA).poolName("cluster-probe").maximumPoolSize(2)
                    .build();
            long start = System.nanoTime();
            engines.forEach(Engine::start);

            Set<String> created = ConcurrentHashMap.newKeySet();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(clients.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < JOBS) {
                        Job j = services.get(i % 2).create(Caller.system(), LIST, JobRequest.builder().run().build());
                        created.add(j.jobId());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(300, TimeUnit.SECONDS);
            }
            clients.shutdown();
            double createSeconds = (System.nanoTime() - start) / 1e9;
            JdbcJobStore p = probe;
            JobFilter completed = JobFilter.all(LIST).withPhases(Set.of(Phase.COMPLETED));
            Await.until(Duration.ofSeconds(600), Duration.ofMillis(250), () -> p.count(completed) == JOBS,
                    "all jobs COMPLETED", () -> p.count(completed) + " completed, " + counts.perJob.size()
                            + " executed, phases " + phases(p));
            double wall = (System.nanoTime() - start) / 1e9;

            assertThat(created).hasSize(JOBS);
            assertThat(counts.perJob.keySet()).as("executed = created: none lost").isEqualTo(created);
            Map<String, Integer> twice = new java.util.HashMap<>();
            counts.perJob.forEach((id, n) -> {
                if (n.get() != 1) {
                    twice.put(id, n.get());
                }
            });
            assertThat(twice).as("jobs executed more than once").isEmpty();
            assertThat(p.count(JobFilter.all(LIST))).isEqualTo(JOBS);
            assertThat(counts.perNode.get("node-a")).as("node-a took work").isNotNull();
            assertThat(counts.perNode.get("node-b")).as("node-b took work").isNotNull();
            System.out.printf("CLUSTER: %d jobs, 2 engines on PostgreSQL: created in %.1f s, all completed in %.1f s"
                            + " wall (%.0f jobs/s); lost 0, duplicates 0; per node %s%n", JOBS, createSeconds, wall,
                    JOBS / wall, counts.perNode);
        } finally {
            for (Engine e : engines) {
                e.close();
            }
            for (JobService s : services) {
                s.close();
            }
            if (probe != null) {
                probe.close();
            }
            for (AutoCloseable c : closeLast) {
                c.close();
            }
        }
    }

    private static String phases(JdbcJobStore p) {
        StringBuilder sb = new StringBuilder();
        for (Phase ph : Phase.values()) {
            long n = p.count(JobFilter.all(LIST).withPhases(Set.of(ph)));
            if (n > 0) {
                sb.append(ph).append('=').append(n).append(' ');
            }
        }
        return sb.toString().trim();
    }
}
