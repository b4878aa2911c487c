package org.uwskit.benchmarks.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.uwskit.Job;
import org.uwskit.JobIds;
import org.uwskit.Phase;
import org.uwskit.jdbc.JdbcJobStore;
import org.uwskit.jdbc.MigrationMode;

/**
 * Fills a JDBC store through its own batch path ({@link JdbcJobStore#insertAll}), not over HTTP: {@code n} copies of
 * a job the server stored (same job list, type, owner and parameters), each created one millisecond before the one
 * after it, ending one hour before the template (so a {@code LAST=n} query over HTTP pages through the newest
 * while every copy is in the index). Prints {@code fill.jobs}, {@code fill.seconds} and {@code fill.rate}.
 *
 * <pre>java -cp benchmarks.jar org.uwskit.benchmarks.http.HttpBench storefill JDBC_URL SCHEMA TEMPLATE_JOB_ID N</pre>
 */
final class StoreFill {
    /** Jobs per {@code insertAll} call (one transaction each). */
    static final int CHUNK = 10_000;

    private StoreFill() {
    }

    static void main(List<String> args) {
        if (args.size() != 4) {
            throw new IllegalArgumentException("storefill JDBC_URL SCHEMA TEMPLATE_JOB_ID N");
        }
        int n = Integer.parseInt(args.get(3));
        try (JdbcJobStore store = JdbcJobStore.builder().jdbcUrl(args.get(0)).schema(args.get(1))
                .migrationMode(MigrationMode.VALIDATE).poolName("storefill").maximumPoolSize(2).build()) {
            Job template = store.get(args.get(2)).orElseThrow(() -> new IllegalStateException(
                    "no job " + args.get(2) + " in the store"));
            Instant newest = template.creationTime().minusSeconds(3600);
            long start = System.nanoTime();
            List<Job> chunk = new ArrayList<>(CHUNK);
            for (int i = 0; i < n; i++) {
                Instant created = newest.minusMillis(i);
                chunk.add(Job.builder(JobIds.next(), template.jobList(), template.jobType(), created)
                        .ownerId(template.ownerId())
                        .executionDuration(template.executionDuration())
                        .destruction(template.destruction())
                        .parameters(template.parameters())
                        .phase(Phase.PENDING, created, "created")
                        .build());
                if (chunk.size() == CHUNK || i == n - 1) {
                    store.insertAll(chunk);
                    chunk.clear();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("fill.jobs=" + n);
            System.out.printf(java.util.Locale.ROOT, "fill.seconds=%.1f%n", seconds);
            System.out.printf(java.util.Locale.ROOT, "fill.rate=%.0f%n", n / seconds);
        }
    }
}
