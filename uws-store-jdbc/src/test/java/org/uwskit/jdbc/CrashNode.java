package org.uwskit.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;

/**
 * The child JVM of {@link CrashIT}: one node (JobService + Engine + JdbcJobStore + {@link CountingBackend}) that
 * records every execution in the side table {@code <schema>.executions} and prints {@code ACK <jobId>} once a job
 * it created was stored. It reads commands from stdin: {@code create <n> <ms>} creates n queued jobs of ms each.
 * It runs until killed.
 *
 * <p>Arguments: jdbcUrl schema nodeId leaseMillis.
 */
public final class CrashNode {
    static final String LIST = "crash";

    private CrashNode() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String schema = args[1];
        String node = args[2];
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        CountingBackend.Recorder recorder = (jobId, n) -> {
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema
                         + ".executions (job_id, node) VALUES (?, ?)")) {
                ps.setString(1, jobId);
                ps.setString(2, n);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot record the execution of " + jobId, e);
            }
        };
        JdbcJobStore store = JdbcJobStore.builder().jdbcUrl(url).schema(schema).poolName("crash-" + node)
                .maximumPoolSize(4).build();
        JobList list = JobList.builder(LIST).definition(JobDefinition.builder("sleepy").build())
                .policy(JobListPolicy.builder().maxExecutingJobs(4).build()).build();
        JobService service = JobService.builder().store(store).jobList(list).build();
        Engine engine = Engine.builder(service).nodeId(node).backend(new CountingBackend(node, 4, recorder))
                .leaseDuration(lease).housekeepingInterval(Duration.ofMillis(200))
                .pollInterval(Duration.ofMillis(200)).build();
        engine.start();
        System.out.println("READY " + node);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split("\\s+");
            if (cmd[0].equals("create")) {
                int n = Integer.parseInt(cmd[1]);
                for (int i = 0; i < n; i++) {
                    Job j = service.create(Caller.system(), LIST,
                            JobRequest.builder().parameter("ms", cmd[2]).run().build());
                    System.out.println("ACK " + j.jobId());
                    System.out.flush();
                }
                System.out.println("CREATED " + n);
                System.out.flush();
            }
        }
        engine.close();
        service.close();
        store.close();
    }
}
