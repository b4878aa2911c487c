package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uwskit.Job;
import org.uwskit.Phase;
import org.uwskit.servlet.UwsServlet;
import org.uwskit.slurm.internal.CallbackTokens;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.testkit.Await;

/**
 * Completion callbacks against the real one-node SLURM, posted by the real batch script with curl to the real
 * servlet adapter on a real Jetty: with a 30 s poll, a job's start and end are still seen within a few seconds
 * (through both transports); bad tokens are refused without a poll, replays change nothing, an unknown job is 404,
 * the token and secret appear in no representation of the job; and the script, which no longer {@code exec}s the
 * command, still forwards SIGUSR2 to it, is still ABORTED by scancel, and still reports a command's signal.
 */
class SlurmCallbackIT extends SlurmEngineFixture {
    static final byte[] SECRET = "callback-secret-of-the-test-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final Duration SLOW_POLL = Duration.ofSeconds(30);
    /** Well under the slow poll: only a callback can make the phase change visible this soon. */
    static final Duration SOON = Duration.ofSeconds(5);

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Server jetty;
    URI mount;

    @BeforeEach
    void bind() throws Exception {
        jetty = new Server();
        ServerConnector c = new ServerConnector(jetty);
        c.setHost("127.0.0.1");
        c.setPort(0);
        jetty.addConnector(c);
        c.open(); // the port is known before the backend is built with its callback URL
        mount = URI.create("http://127.0.0.1:" + c.getLocalPort() + "/uws");
    }

    @AfterEach
    void stopJetty() throws Exception {
        jetty.stop();
    }

    @Override
    List<String> lists() {
        List<String> l = new ArrayList<>(super.lists());
        l.addAll(List.of("usr2", "selfkill"));
        return l;
    }

    @Override
    SlurmBackend.Builder configure(SlurmBackend.Builder b) {
        return b.pollInterval(SLOW_POLL).callbackUrl(mount).callbackSecret(SECRET)
                .jobType("usr2", SlurmJobType.builder("/bin/bash").args("-c", "trap 'echo got USR2 > usr2.txt;"
                        + " exit 0' USR2; echo ready > ready.txt; while :; do sleep 0.1; done")
                        .output("usr2.txt", "text/plain").build())
                .jobType("selfkill", SlurmJobType.builder("/bin/sh").args("-c", "kill -SEGV $$").build());
    }

    /** The fixture's engine and service, then the servlet with the backend as its callback receiver. */
    void startAll(String transport) throws Exception {
        start(transport);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        UwsServlet servlet = UwsServlet.builder(service).callbackReceiver(backend)
                .ownerResolver((principal, roles) -> ALICE).build();
        ServletHolder h = new ServletHolder("uws", servlet);
        h.setAsyncSupported(true);
        ctx.addServlet(h, "/uws/*");
        jetty.setHandler(ctx);
        jetty.start();
    }

    Job awaitSoon(Job j, Phase p) {
        AtomicReference<Job> cur = new AtomicReference<>(get(j));
        Await.until(SOON, POLL, () -> cur.updateAndGet(x -> get(j)).phase() == p,
                "job " + j.jobId() + " " + p + " with a " + SLOW_POLL + " poll",
                () -> cur.get().phase() + " " + cur.get().jobInfo());
        return cur.get();
    }

    void awaitReady(Job j) {
        Await.until(SOON, POLL, () -> Files.exists(work.resolve(j.jobId()).resolve("ready.txt")),
                "the command's trap set", () -> "no ready.txt");
    }

    Path control(Job j) {
        return work.resolve(j.jobId()).resolve(".uws");
    }

    String token(Job j) throws Exception {
        String config = Files.readString(control(j).resolve("callback"));
        return config.substring(config.indexOf(": ") + 2, config.lastIndexOf('"'));
    }

    HttpResponse<String> callback(String jobId, String event, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(mount + "/_callbacks/slurm/" + jobId + "/" + event))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(event.equals("ended") ? "status=0" : ""));
        if (token != null) {
            r.header(CallbackReceiver.TOKEN_HEADER, token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    String get(String path, String accept) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mount + path)).header("Accept", accept)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void withCallbacksAThirtySecondPollStillShowsStartAndEndWithinSeconds(String transport) throws Exception {
        startAll(transport);
        Job j = run("sleep", 600, "TAG", "callback-" + transport, "SECONDS", "2");
        slurmId(j);
        awaitSoon(j, Phase.EXECUTING);
        Job done = awaitSoon(j, Phase.COMPLETED);
        assertThat(result(done, "done.txt")).isEqualTo("done\n");
        Path log = control(j).resolve("callback.log");
        // the script logs each callback's HTTP status (and curl's complaints, if any)
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("started 204", "ended 204");

        // the token is only in the job's control directory, readable by its owner alone
        String token = token(j);
        assertThat(token).hasSize(64).isEqualTo(new CallbackTokens(SECRET).token(j.jobId()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(control(j).resolve("callback"))))
                .isEqualTo("rw-------");
        String secretHex = HexFormat.of().formatHex(SECRET);
        String secretText = new String(SECRET, StandardCharsets.US_ASCII);
        List<String> shown = new ArrayList<>(List.of(
                get("/sleep/" + j.jobId(), "application/xml"), get("/sleep/" + j.jobId(), "application/json"),
                get("/sleep", "application/json"), get("/sleep/" + j.jobId() + "/parameters", "application/xml"),
                done.jobInfo().toString(), done.parameters().toString()));
        for (var r : done.results()) {
            shown.add(result(done, r.id()));
        }
        assertThat(String.join("\n", shown)).doesNotContain(token).doesNotContain(secretHex)
                .doesNotContain(secretText);
        assertThat(Files.readString(control(j).resolve("env"))).doesNotContain(token);
    }

    @Test
    void forgedReplayedAndUnknownCallbacksChangeNothing() throws Exception {
        startAll("commands");
        Job j = run("sleep", 600, "TAG", "callback-forged", "SECONDS", "60");
        slurmId(j);
        awaitSoon(j, Phase.EXECUTING);
        String token = token(j);
        CallbackTokens tokens = new CallbackTokens(SECRET);
        int calls = session.infoCalls.get();

        HttpResponse<String> forged = callback(j.jobId(), "ended", tokens.token("someOtherJob123"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("token").doesNotContain(token);
        assertThat(callback(j.jobId(), "ended", null).statusCode()).isEqualTo(403);
        assertThat(callback(j.jobId(), "ended", new CallbackTokens("another-secret-of-32-bytes-or-more!!"
                .getBytes(StandardCharsets.US_ASCII)).token(j.jobId())).statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = callback("noSuchJob12345", "ended", tokens.token("noSuchJob12345"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(callback(j.jobId(), "finished", token).statusCode()).isEqualTo(400);
        // a replayed "started" of a job the poll saw running costs nothing
        for (int i = 0; i < 5; i++) {
            assertThat(callback(j.jobId(), "started", token).statusCode()).isEqualTo(204);
        }
        Thread.sleep(300); // a window for a poll that must not come (nothing positive to await)
        assertThat(session.infoCalls.get()).as("polls after refused and replayed callbacks").isEqualTo(calls);

        // a valid but premature "ended" is a hint: the poll looks, sees the job running, and the phase stays
        for (int i = 0; i < 5; i++) {
            assertThat(callback(j.jobId(), "ended", token).statusCode()).isEqualTo(204);
        }
        Await.until(SOON, POLL, () -> session.infoCalls.get() > calls, "a poll after the hint", () -> "none");
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
    }

    @Test
    void usr2SentToTheBatchShellReachesTheCommand() throws Exception {
        startAll("commands");
        Job j = run("usr2", 600);
        String id = slurmId(j);
        awaitSoon(j, Phase.EXECUTING);
        awaitReady(j);
        // --batch: SLURM signals the batch shell only, never its children: only the script's forwarding reaches it
        assertThat(SlurmSupport.admin("scancel", "--batch", "--signal=USR2", id).exitCode()).isZero();
        Job done = awaitSoon(j, Phase.COMPLETED);
        assertThat(result(done, "usr2.txt")).isEqualTo("got USR2\n");
    }

    @Test
    void scancelOfARunningJobIsStillAborted() throws Exception {
        startAll("commands");
        Job j = run("usr2", 600);
        String id = slurmId(j);
        awaitSoon(j, Phase.EXECUTING);
        // the command runs (a job cancelled in its first milliseconds may die before its script set its traps: no
        // callback then, and only the poll, 30 s here, would see the end)
        awaitReady(j);
        assertThat(SlurmSupport.admin("scancel", id).exitCode()).isZero();
        Job aborted = awaitSoon(j, Phase.ABORTED);
        assertThat(slurm(id).slurmState()).isEqualTo("CANCELLED");
        assertThat(aborted.error() == null ? "" : aborted.error().message()).doesNotContain("requeued");
    }

    @Test
    void aCommandKilledByASignalIsReportedWithThatSignal() throws Exception {
        startAll("commands");
        Job j = run("selfkill", 600);
        String id = slurmId(j);
        Job failed = awaitPhase(j, Phase.ERROR);
        assertThat(failed.error().message()).contains("SLURM job " + id).contains("SIGSEGV");
    }
}
