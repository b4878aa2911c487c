package org.uwskit.benchmarks;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.servlet.UwsServlet;
import org.uwskit.slurm.SlurmBackend;
import org.uwskit.slurm.SlurmJobType;

/**
 * The delay from the end of a SLURM job's command to the backend's {@code completed()}, with and without completion
 * callbacks, against a running SLURM (not JMH; needs the variables of {@code scripts/slurm.sh env}, run as root):
 *
 * <pre>
 * source &lt;(scripts/slurm.sh env)
 * java -cp benchmarks/target/benchmarks.jar org.uwskit.benchmarks.SlurmCallbackBenchmark [jobs] [transports]
 * </pre>
 *
 * For each transport ({@code commands,rest} by default), N jobs (default 20) one after the other whose command's
 * last act writes the wall-clock time in nanoseconds: once without callbacks at the default 2 s poll, once with
 * callbacks at a 30 s poll, posted by the batch script with curl to the real servlet adapter on a real Jetty
 * (127.0.0.1), which hands them to the backend. Prints the median and the maximum. Every job is cancelled at the end.
 */
public final class SlurmCallbackBenchmark {
    private SlurmCallbackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<String> transports = args.length > 1 ? List.of(args[1].split(",")) : List.of("commands", "rest");
        String conf = SlurmPollBenchmark.require("SLURM_CONF");
        String rest = System.getenv().getOrDefault("UWSKIT_SLURM_REST_URL", "http://127.0.0.1:6820");
        String token = System.getenv("SLURM_JWT");
        String user = System.getenv().getOrDefault("UWSKIT_SLURM_USER", "root");
        Path work = Files.createTempDirectory("uws-slurm-callback-bench");
        List<String> made = new ArrayList<>();
        Server jetty = new Server();
        ServerConnector c = new ServerConnector(jetty);
        c.setHost("127.0.0.1");
        c.setPort(0);
        jetty.addConnector(c);
        c.open();
        URI mount = URI.create("http://127.0.0.1:" + c.getLocalPort() + "/uws");
        JobService service = JobService.builder().store(new InMemoryJobStore()).resultStore(new InMemoryResultStore())
                .jobList(JobList.builder("bench").definition(JobDefinition.builder("stamp").build()).build()).build();
        UwsServlet.Builder servlet = UwsServlet.builder(service);
        List<SlurmBackend> withCallbacks = new ArrayList<>();
        for (String transport : transports) {
            SlurmBackend b = backend(transport, SlurmPollBenchmark.session(transport, conf, rest, user, token), work,
                    Duration.ofSeconds(30), mount);
            withCallbacks.add(b);
            servlet.callbackReceiver(b);
        }
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        ServletHolder h = new ServletHolder("uws", servlet.build());
        h.setAsyncSupported(true);
        ctx.addServlet(h, "/uws/*");
        jetty.setHandler(ctx);
        jetty.start();
        try {
            System.out.println("| end of job → completed() | poll interval | callbacks | median ms | max ms | jobs |");
            System.out.println("|---|---|---|---|---|---|");
            for (int i = 0; i < transports.size(); i++) {
                String transport = transports.get(i);
                SlurmBackend plain = backend(transport + "-poll", SlurmPollBenchmark.session(transport, conf, rest,
                        user, token), work, SlurmBackend.DEFAULT_POLL_INTERVAL, null);
                try {
                    run(transport, plain, SlurmBackend.DEFAULT_POLL_INTERVAL, "no", jobs, work, made);
                } finally {
                    plain.close();
                }
                run(transport, withCallbacks.get(i), Duration.ofSeconds(30), "yes", jobs, work, made);
            }
        } finally {
            withCallbacks.forEach(SlurmBackend::close);
            jetty.stop();
            service.close();
            SlurmPollBenchmark.cancel(made);
        }
    }

    private static SlurmBackend backend(String name, org.uwskit.slurm.drmaa.JobSession session, Path work,
                                        Duration poll, URI callbackUrl) {
        return SlurmBackend.builder().name(name).session(session).workRoot(work).pollInterval(poll)
                .callbackUrl(callbackUrl)
                .jobType("stamp", SlurmJobType.builder("/bin/sh").args("-c", "date +%s%N > end.txt").build()).build();
    }

    private static void run(String transport, SlurmBackend b, Duration poll, String callbacks, int n, Path work,
                            List<String> made) throws Exception {
        long[] delays = new long[n];
        for (int i = 0; i < n; i++) {
            org.uwskit.spi.JobTemplate t = SlurmPollBenchmark.template("stamp");
            CompletableFuture<Long> done = new CompletableFuture<>();
            made.add(b.submit(t, new SlurmPollBenchmark.NoEvents() {
                @Override
                public void completed() {
                    Instant now = Instant.now();
                    done.complete(now.getEpochSecond() * 1_000_000_000L + now.getNano());
                }
            }));
            long at = done.get(120, TimeUnit.SECONDS);
            long end = Long.parseLong(Files.readString(work.resolve(t.jobId()).resolve("end.txt")).strip());
            delays[i] = (at - end) / 1_000_000;
        }
        Arrays.sort(delays);
        System.out.printf(Locale.ROOT, "| %s | %d ms | %s | %d | %d | %d |%n", transport, poll.toMillis(), callbacks,
                delays[n / 2], delays[n - 1], n);
    }
}
