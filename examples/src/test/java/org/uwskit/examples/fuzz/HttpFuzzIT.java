package org.uwskit.examples.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.Quotas;
import org.uwskit.examples.ExampleOptions;
import org.uwskit.examples.ExampleServer;

/**
 * A seeded, bounded fuzz test of the example server over real HTTP (Jetty on an ephemeral port): {@value #DEFAULT_REQUESTS}
 * generated requests ({@link RequestGenerator}: every job-list and job resource, every method, odd query strings,
 * malformed and hostile headers, urlencoded, multipart, JSON and garbage bodies) from {@value #THREADS} client
 * threads against two servers, one with HTTP Basic users and an in-memory store, one anonymous on the default H2
 * store. Every answer must pass {@link AnswerCheck} (no 500, a well-formed document for a 2xx that says XML or JSON,
 * a message for every 4xx) within {@value #TIMEOUT_SECONDS} s (no hang).
 *
 * <p>Request {@code i} is drawn from {@code new Random(seed ^ i * GOLDEN)}, so a seed gives the same requests again
 * (the job ids they aim at follow the server's state). The seed is {@value #DEFAULT_SEED} unless
 * {@code -Duwskit.fuzz.seed=N} says otherwise; {@code -Duwskit.fuzz.requests=N} changes the count. On failure the
 * seed, the status counts and every distinct failing request shape are printed ({@link FailureReport}: each failure
 * is first shrunk, by replaying it without its body, query and headers one by one while the failure stays).
 */
@Tag("fuzz")
class HttpFuzzIT {
    static final long DEFAULT_SEED = 20_261_205L;
    static final int DEFAULT_REQUESTS = 10_000;
    static final int THREADS = 4;
    static final int TIMEOUT_SECONDS = 10;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final Duration RUN_CAP = Duration.ofMinutes(4);
    private static final Duration SHRINK_BUDGET = Duration.ofSeconds(60);
    static final String[][] USERS = {{"alice", "wonderland"}, {"bob", "builder"}, {"root", "toor"}};

    @TempDir
    static Path dir;
    static final List<Target> targets = new ArrayList<>();

    /** A server under test, the generator aimed at it and its job pool. */
    record Target(String name, ExampleServer server, RawHttp http, RequestGenerator generator, JobPool pool,
                  String origin, List<String> validAuthorizations) {
    }

    /** Sends the request to the target and says what is wrong with the answer (null: nothing). */
    static String problem(Target t, FuzzRequest q) {
        try {
            return AnswerCheck.problem(q, t.http().send(q));
        } catch (SocketTimeoutException e) {
            return "no answer within " + TIMEOUT_SECONDS + " s";
        } catch (IOException | RuntimeException e) {
            return "no HTTP answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path users = Files.writeString(dir.resolve("users.txt"), "alice:wonderland\nbob:builder\nroot:toor:uws-admin\n");
        targets.add(target("users+memory", ExampleOptions.builder().port(0).dataDir(dir.resolve("users"))
                .usersFile(users).store(ExampleOptions.STORE_MEMORY).quotas(Quotas.unlimited()).build(), true));
        targets.add(target("anonymous+h2", ExampleOptions.builder().port(0).dataDir(dir.resolve("anon"))
                .quotas(Quotas.unlimited()).build(), false));
    }

    @AfterAll
    static void stop() {
        targets.forEach(t -> t.server().close());
    }

    // quotas off: 10,000 requests from two owners would otherwise be mostly 429s and reach little of the service
    private static Target target(String name, ExampleOptions options, boolean withUsers) throws Exception {
        ExampleServer server = ExampleServer.start(options);
        int port = server.baseUri().getPort();
        String hostPort = "127.0.0.1:" + port;
        RawHttp http = new RawHttp(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(TIMEOUT_SECONDS));
        List<String> auth = new ArrayList<>();
        if (withUsers) {
            for (String[] u : USERS) {
                auth.add("Basic " + RequestGenerator.b64(u[0] + ":" + u[1]));
            }
        }
        String alice = auth.isEmpty() ? null : auth.get(0);
        String bob = auth.isEmpty() ? null : auth.get(1);
        Setup s = new Setup(http, hostPort, alice);
        List<String> jobs = new ArrayList<>();
        List<String> quick = new ArrayList<>();
        quick.add(s.job("/uws/demo", "SECONDS=0&MESSAGE=done&PHASE=RUN"));
        quick.add(s.job("/uws/demo", "SECONDS=0&FAIL=true&PHASE=RUN"));
        quick.add(s.job("/tap/async", "SECONDS=0&PHASE=RUN&LANG=ADQL&QUERY=select+1"));
        quick.add(s.wordcount());
        if (bob != null) {
            quick.add(new Setup(http, hostPort, bob).job("/uws/demo", "SECONDS=0&PHASE=RUN"));
        }
        for (String j : quick) {
            s.awaitPhaseNotIn(j, "QUEUED", "EXECUTING");
        }
        jobs.addAll(quick);
        jobs.add(s.job("/uws/demo", "SECONDS=0"));
        String running = s.job("/uws/demo", "SECONDS=300&PHASE=RUN");
        s.awaitPhaseNotIn(running, "QUEUED");
        jobs.add(running);
        String aborted = s.job("/uws/demo", "SECONDS=300&PHASE=RUN");
        s.post(aborted + "/phase", "PHASE=ABORT");
        s.awaitPhaseNotIn(aborted, "QUEUED", "EXECUTING");
        jobs.add(aborted);
        JobPool pool = new JobPool(jobs);
        return new Target(name, server, http, new RequestGenerator(hostPort, pool::draw, auth), pool,
                "http://" + hostPort, List.copyOf(auth));
    }

    @Test
    void everyAnswerToGeneratedRequestsKeepsTheRules() throws Exception {
        long seed = Long.getLong("uwskit.fuzz.seed", DEFAULT_SEED);
        int requests = Integer.getInteger("uwskit.fuzz.requests", DEFAULT_REQUESTS);
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> methods = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<FailureReport.Failure> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger nextIndex = new AtomicInteger();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "fuzz-client");
            t.setDaemon(true);
            return t;
        });
        for (int w = 0; w < THREADS; w++) {
            pool.execute(() -> {
                for (int i = nextIndex.getAndIncrement(); i < requests; i = nextIndex.getAndIncrement()) {
                    Random r = new Random(seed ^ (i * GOLDEN));
                    Target t = targets.get(r.nextInt(100) < 65 ? 0 : 1);
                    FuzzRequest q = t.generator().next(r);
                    methods.computeIfAbsent(q.method(), k -> new LongAdder()).increment();
                    String problem;
                    try {
                        RawHttp.Response a = t.http().send(q);
                        statuses.computeIfAbsent(Integer.toString(a.status()), k -> new LongAdder()).increment();
                        if (a.status() == 303) {
                            t.pool().offer(a.header("Location"), t.origin());
                        }
                        problem = AnswerCheck.problem(q, a);
                    } catch (SocketTimeoutException e) {
                        statuses.computeIfAbsent("timeout", k -> new LongAdder()).increment();
                        problem = "no answer within " + TIMEOUT_SECONDS + " s";
                    } catch (IOException | RuntimeException e) {
                        statuses.computeIfAbsent("no answer", k -> new LongAdder()).increment();
                        problem = "no HTTP answer (" + e.getClass().getSimpleName() + ")";
                    }
                    if (problem != null) {
                        failures.add(new FailureReport.Failure(i, t.name(), t.origin().substring("http://".length()),
                                x -> problem(t, x), q, problem));
                    }
                }
            });
        }
        pool.shutdown();
        boolean done = pool.awaitTermination(RUN_CAP.toSeconds(), TimeUnit.SECONDS);
        pool.shutdownNow();
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.sum()));
        System.out.printf("fuzz: seed %d, %d requests in %d s on %d threads; statuses %s; methods %s; %d failures%n",
                seed, requests, seconds, THREADS, counts, methods, failures.size());
        assertThat(done).as("seed %d: the run did not finish within %s", seed, RUN_CAP).isTrue();

        if (!failures.isEmpty()) {
            Set<String> logins = new HashSet<>();
            Set<String> hosts = new HashSet<>();
            targets.forEach(t -> {
                logins.addAll(t.validAuthorizations());
                hosts.add(t.origin().substring("http://".length()));
            });
            String report = FailureReport.of(seed, requests, List.copyOf(failures), hosts, logins, SHRINK_BUDGET);
            System.out.println(report);
            fail(report);
        }
        // the run reached the server's logic, not only its front door
        long ok = counts.entrySet().stream().filter(e -> e.getKey().matches("[23]\\d\\d")).mapToLong(Map.Entry::getValue).sum();
        assertThat(ok).as("seed %d: 2xx and 3xx answers among %s", seed, counts).isGreaterThan(requests / 10);
        for (String m : RequestGenerator.METHODS) {
            assertThat(methods.get(m).sum()).as("requests with method %s", m).isGreaterThan(requests / 50);
        }
    }

    /** Makes the jobs the run starts from, over the same raw HTTP client. */
    private record Setup(RawHttp http, String hostPort, String authorization) {
        String job(String list, String form) throws IOException {
            RawHttp.Response a = post(list, form);
            assertThat(a.status()).as("creating a job in %s: %s", list, a.text()).isEqualTo(303);
            String location = a.header("Location");
            return location.substring(location.indexOf(hostPort) + hostPort.length());
        }

        String wordcount() throws IOException {
            String boundary = "setup-boundary";
            String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"FILE\"; filename=\"a.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\none two three\r\n--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"PHASE\"\r\n\r\nRUN\r\n--" + boundary + "--\r\n";
            RawHttp.Response a = http.send(request("POST", "/uws/wordcount", "multipart/form-data; boundary=" + boundary,
                    body));
            assertThat(a.status()).as("creating a wordcount job: %s", a.text()).isEqualTo(303);
            String location = a.header("Location");
            return location.substring(location.indexOf(hostPort) + hostPort.length());
        }

        RawHttp.Response post(String path, String form) throws IOException {
            return http.send(request("POST", path, "application/x-www-form-urlencoded", form));
        }

        /** Waits until the job is in none of the phases given (it left QUEUED, or finished). */
        void awaitPhaseNotIn(String job, String... phases) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (List.of(phases).contains(http.send(request("GET", job + "/phase", null, null)).text().strip())) {
                assertThat(System.nanoTime()).as("job %s still in one of %s", job, List.of(phases)).isLessThan(deadline);
                Thread.sleep(20); // polling the server with a deadline
            }
        }

        private FuzzRequest request(String method, String path, String contentType, String body) {
            List<String[]> h = new ArrayList<>();
            h.add(new String[] {"Host", hostPort});
            if (authorization != null) {
                h.add(new String[] {"Authorization", authorization});
            }
            if (contentType != null) {
                h.add(new String[] {"Content-Type", contentType});
            }
            return new FuzzRequest(method, path, List.copyOf(h), body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                    path, "setup");
        }
    }
}
