package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.testkit.Await;
import org.uwskit.Job;
import org.uwskit.Phase;

/**
 * A node (child JVM) with jobs queued and running is killed with SIGKILL and a new node starts on the same
 * PostgreSQL database: every acknowledged job is still there, no job ran twice, the jobs that were running end in
 * ERROR "interrupted: node lost" once their lease (2 s) expired, and the queued ones run on the new node.
 */
class CrashIT {
    static final String SCHEMA = "it_crash";
    static final long LEASE_MILLIS = 2_000;
    final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A running child node and its stdout lines. */
    final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Writer stdin;

        Child(String url, String node) throws Exception {
            Path log = Files.createDirectories(Path.of("target", "crash-logs")).resolve(node + ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashNode.class.getName(), url, SCHEMA, node,
                    String.valueOf(LEASE_MILLIS));
            pb.redirectError(log.toFile());
            process = pb.start();
            children.add(process);
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    // the child died
                }
            }, "crash-child-" + node);
            reader.setDaemon(true);
            reader.start();
        }

        String expect(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) {
                    throw new AssertionError("child printed no '" + prefix + "' within " + timeout
                            + " (alive=" + process.isAlive() + ")");
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
        }

        void send(String command) throws Exception {
            stdin.write(command + "\n");
            stdin.flush();
        }
    }

    @Test
    void killedNodeLosesNoAcknowledgedJobAndRunsNoneTwice() throws Exception {
        String url = PgSupport.url();
        PgSupport.exec(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        try (JdbcJobStore probe = JdbcJobStore.builder().jdbcUrl(url).schema(SCHEMA).poolName("crash-probe")
                .maximumPoolSize(2).build()) {
            PgSupport.exec(url, "CREATE TABLE " + SCHEMA + ".executions (job_id TEXT NOT NULL, node TEXT NOT NULL)");

            Child first = new Child(url, "node-1");
            first.expect("READY", Duration.ofSeconds(60));
            // 4 long jobs fill the node's 4 slots (oldest first), 20 short ones wait QUEUED behind them
            first.send("create 4 600000");
            first.send("create 20 50");
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                acked.add(first.expect("ACK ", Duration.ofSeconds(30)).substring(4));
            }
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> executions(url).size() >= 4,
                    "node-1 runs 4 jobs", () -> executions(url).toString());
            first.process.destroyForcibly();
            assertThat(first.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(first.process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            Map<String, Integer> runningAtKill = executions(url);

            long restart = System.nanoTime();
            Child second = new Child(url, "node-2");
            second.expect("READY", Duration.ofSeconds(60));
            Duration recovery = Await.until(Duration.ofSeconds(120), Duration.ofMillis(100),
                    () -> acked.stream().allMatch(id -> probe.get(id).map(j -> j.phase().isFinished()).orElse(true)),
                    "every acknowledged job finished", () -> phases(probe, acked));

            Map<String, Integer> executed = executions(url);
            int lost = 0;
            int duplicates = 0;
            int interrupted = 0;
            for (String id : acked) {
                Job j = probe.get(id).orElse(null);
                if (j == null) {
                    lost++;
                    continue;
                }
                int n = executed.getOrDefault(id, 0);
                if (n > 1) {
                    duplicates++;
                }
                if (runningAtKill.containsKey(id)) {
                    assertThat(j.phase()).as("job %s was running on the killed node", id).isEqualTo(Phase.ERROR);
                    assertThat(j.error().message()).isEqualTo("interrupted: node lost");
                    interrupted++;
                } else {
                    assertThat(j.phase()).as("job %s was queued when the node died", id).isEqualTo(Phase.COMPLETED);
                    assertThat(n).as("executions of %s", id).isEqualTo(1);
                }
            }
            assertThat(lost).as("acknowledged jobs lost").isZero();
            assertThat(duplicates).as("jobs executed twice").isZero();
            assertThat(interrupted).isEqualTo(runningAtKill.size()).isGreaterThanOrEqualTo(1);
            System.out.printf("CRASH: SIGKILL with %d running + %d queued acknowledged jobs; lost %d, duplicates %d,"
                            + " interrupted %d (ERROR node lost); all %d finished %.1f s after restart (lease %d ms)%n",
                    runningAtKill.size(), acked.size() - runningAtKill.size(), lost, duplicates, interrupted,
                    acked.size(), (System.nanoTime() - restart) / 1e9, LEASE_MILLIS);
            assertThat(recovery).isLessThan(Duration.ofSeconds(120));
        }
    }

    private static Map<String, Integer> executions(String url) {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT job_id, COUNT(*) FROM " + SCHEMA + ".executions GROUP BY job_id")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getInt(2));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static String phases(JdbcJobStore probe, List<String> ids) {
        Map<String, Integer> n = new HashMap<>();
        for (String id : ids) {
            n.merge(probe.get(id).map(j -> j.phase().name()).orElse("MISSING"), 1, Integer::sum);
        }
        return n.toString();
    }

    static final Set<Phase> FINAL = Set.of(Phase.COMPLETED, Phase.ERROR, Phase.ABORTED);
}
