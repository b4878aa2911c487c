package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.JobDefinition;
import org.uwskit.Parameter;
import org.uwskit.slurm.internal.Processes;
import org.uwskit.slurm.internal.WorkDir;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.JobTemplate;
import org.uwskit.testkit.Await;
import org.uwskit.testkit.RecordingEvents;

/**
 * The generated batch script, run by bash here (as slurmd would run it, from the working directory): values with
 * every shell metacharacter arrive verbatim as arguments, variables and files, and never appear in the script; the
 * script exits as its command did (exit code, or the command's signal raised again), forwards signals to it, and
 * posts its callbacks with the job's token from the control file, or skips them without curl.
 */
class BatchScriptTest {
    static final String NASTY = "$(touch pwned) `touch pwned2` ; rm -rf . | cat > x \"'\\ * ? ~ $HOME {a,b}\n\t\u2603";

    static JobTemplate job(List<Parameter> params) {
        JobDefinition def = JobDefinition.builder("t").build();
        return new JobTemplate("job1", "l", def, "o", def.validate(params), params, 60, null);
    }

    @Test
    void valuesArriveVerbatimAndNeverInTheScript(@TempDir Path dir) throws Exception {
        SlurmJobType type = SlurmJobType.builder("/bin/sh")
                .args("-c", "printf '%s' \"$1\" > a.txt; printf '%s' \"$2\" > b.txt; printf '%s' \"$V\" > v.txt", "sh")
                .argFromParameter("X").argFromParameter("EMPTY").envFromParameter("V", "X")
                .fileFromParameter("f.txt", "X").build();
        WorkDir w = new WorkDir(dir);
        w.prepare(type, job(List.of(Parameter.of("X", NASTY), Parameter.of("EMPTY", ""))), new RecordingEvents());
        String script = Files.readString(w.script());
        assertThat(script).isEqualTo(WorkDir.SCRIPT).doesNotContain("touch");
        // slurmd starts the script in the working directory; here the test does, through a sub-shell
        Processes.Outcome o = Processes.run(List.of("bash", "-c", "cd \"$1\" && exec bash .uws/job.sh", "x", dir.toString()), Map.of(),
                Duration.ofSeconds(10));
        assertThat(o.exitCode()).as(o.message()).isZero();
        assertThat(Files.readString(dir.resolve("a.txt"), StandardCharsets.UTF_8)).isEqualTo(NASTY);
        assertThat(Files.readString(dir.resolve("b.txt"))).isEmpty();
        assertThat(Files.readString(dir.resolve("v.txt"), StandardCharsets.UTF_8)).isEqualTo(NASTY);
        assertThat(Files.readString(dir.resolve("f.txt"), StandardCharsets.UTF_8)).isEqualTo(NASTY);
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
    }

    @Test
    void aMissingParameterOrANulByteIsRefusedWithAMessage(@TempDir Path dir) {
        SlurmJobType type = SlurmJobType.builder("/bin/echo").argFromParameter("X").build();
        assertThatThrownBy(() -> new WorkDir(dir).prepare(type, job(List.of()), new RecordingEvents()))
                .hasMessageContaining("parameter X has no value");
        assertThatThrownBy(() -> new WorkDir(dir).prepare(type, job(List.of(Parameter.of("X", "a\0b"))),
                new RecordingEvents())).hasMessageContaining("NUL");
    }

    @Test
    void jobTypesRefuseUnsafeFileNamesAndVariableNames() {
        assertThatThrownBy(() -> SlurmJobType.builder("x").output("../etc/passwd", null))
                .hasMessageContaining("file name");
        assertThatThrownBy(() -> SlurmJobType.builder("x").output("stdout", null)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> SlurmJobType.builder("x").envFromParameter("A-B", "X"))
                .hasMessageContaining("variable name");
    }

    /** Runs the prepared script of {@code dir} as slurmd would, returning the process. */
    static Process launch(Path dir) throws IOException {
        return new ProcessBuilder("bash", ".uws/job.sh").directory(dir.toFile())
                .redirectOutput(dir.resolve("out.log").toFile()).redirectError(dir.resolve("err.log").toFile()).start();
    }

    static int runScript(Path dir, SlurmJobType type) throws Exception {
        new WorkDir(dir).prepare(type, job(List.of()), new RecordingEvents());
        Process p = launch(dir);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    static void signal(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    @Test
    void theScriptExitsAsItsCommandDid(@TempDir Path dir) throws Exception {
        assertThat(runScript(dir.resolve("a"), SlurmJobType.builder("/bin/sh").args("-c", "exit 3").build()))
                .isEqualTo(3);
        assertThat(runScript(dir.resolve("b"), SlurmJobType.builder("/bin/true").build())).isZero();
        // killed by a signal: the script raises it on itself (bash reports 128 + N to its parent either way; the
        // SLURM IT checks that SLURM sees the signal)
        assertThat(runScript(dir.resolve("c"), SlurmJobType.builder("/bin/sh").args("-c", "kill -KILL $$").build()))
                .isEqualTo(128 + 9);
        assertThat(runScript(dir.resolve("d"), SlurmJobType.builder("/no/such/command").build())).isEqualTo(127);
    }

    @Test
    void signalsAreForwardedToTheCommand(@TempDir Path dir) throws Exception {
        SlurmJobType trapping = SlurmJobType.builder("/bin/bash").args("-c", "trap 'echo got USR2 >> usr2.txt' USR2;"
                + " trap 'echo got TERM >> usr2.txt; exit 5' TERM; echo ready > ready.txt;"
                + " while :; do sleep 0.05; done").build();
        new WorkDir(dir).prepare(trapping, job(List.of()), new RecordingEvents());
        Process p = launch(dir);
        Await.until(Duration.ofSeconds(10), () -> Files.exists(dir.resolve("ready.txt")), "the command's traps");
        signal(p, "USR2");
        Await.until(Duration.ofSeconds(10), () -> Files.exists(dir.resolve("usr2.txt")), "USR2 forwarded");
        signal(p, "USR2");
        Await.until(Duration.ofSeconds(10), () -> lines(dir.resolve("usr2.txt")) == 2, "a second USR2 forwarded");
        assertThat(p.isAlive()).as("the script waits for its command after a forwarded signal").isTrue();
        signal(p, "TERM");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("the command's own exit code after its TERM trap").isEqualTo(5);
        assertThat(Files.readString(dir.resolve("usr2.txt"))).isEqualTo("got USR2\ngot USR2\ngot TERM\n");
    }

    @Test
    void aCommandWithoutTrapsDiesOfTheForwardedSignal(@TempDir Path dir) throws Exception {
        new WorkDir(dir).prepare(SlurmJobType.builder("/bin/sleep").args("30").build(), job(List.of()),
                new RecordingEvents());
        Process p = launch(dir);
        Await.until(Duration.ofSeconds(10), () -> p.descendants().findAny().isPresent(), "the command started");
        signal(p, "TERM");
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(128 + 15);
    }

    /**
     * scancel signals every process of the job at once (script and command): whichever way bash's wait then
     * returns, the script reports TERM (exit 143 by dying of it, and {@code status=143} in its callback), never a
     * stray {@code -1}/255. Five times, since the order of the two signals varies.
     */
    @Test
    void aTermToTheWholeJobIsReportedAsTerm(@TempDir Path dir) throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            if (x.getRequestURI().getPath().endsWith("/ended")) {
                bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            }
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
        try {
            SlurmJobType loop = SlurmJobType.builder("/bin/bash").args("-c", "echo ready > ready.txt;"
                    + " while :; do sleep 0.05; done").build();
            for (int i = 0; i < 5; i++) {
                Path d = dir.resolve("run" + i);
                new WorkDir(d).prepare(loop, job(List.of()), new RecordingEvents(),
                        "http://127.0.0.1:" + server.getAddress().getPort() + "/cb/", "0".repeat(64));
                Process p = new ProcessBuilder("setsid", "bash", ".uws/job.sh").directory(d.toFile())
                        .redirectErrorStream(true).redirectOutput(d.resolve("out.log").toFile()).start();
                Await.until(Duration.ofSeconds(10), () -> Files.exists(d.resolve("ready.txt")), "the command runs");
                assertThat(new ProcessBuilder("kill", "-s", "TERM", "--", "-" + p.pid()).start().waitFor()).isZero();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("run %d", i).isEqualTo(128 + 15);
            }
            Await.until(Duration.ofSeconds(10), () -> bodies.size() == 5, "five ended callbacks");
            assertThat(bodies).containsOnly("status=143");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void callbacksArePostedWithTheTokenFromTheControlFileOnly(@TempDir Path dir) throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            got.add(x.getRequestMethod() + " " + x.getRequestURI().getPath() + " token="
                    + x.getRequestHeaders().getFirst(CallbackReceiver.TOKEN_HEADER) + " body="
                    + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/uws/_callbacks/slurm/job1/";
            String token = "f".repeat(64);
            WorkDir w = new WorkDir(dir);
            w.prepare(SlurmJobType.builder("/bin/sh").args("-c", "sleep 0.2; exit 3").build(), job(List.of()),
                    new RecordingEvents(), url, token);
            Process p = launch(dir);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(3);
            assertThat(got).containsExactlyInAnyOrder(
                    "POST /uws/_callbacks/slurm/job1/started token=" + token + " body=",
                    "POST /uws/_callbacks/slurm/job1/ended token=" + token + " body=status=3");
            for (String f : List.of("argv", "env", "job.sh", CallbackReceiver.SEGMENT)) {
                Path file = w.control().resolve(f);
                if (Files.exists(file)) {
                    assertThat(Files.readString(file)).as(f).doesNotContain(token);
                }
            }
            assertThat(Files.readString(dir.resolve("out.log")) + Files.readString(dir.resolve("err.log")))
                    .doesNotContain(token);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutCurlOrCallbackFilesTheScriptSkipsTheCallback(@TempDir Path dir) throws Exception {
        // a PATH without curl: the script runs its command and exits as it did
        SlurmJobType noCurl = SlurmJobType.builder("/bin/sh").args("-c", "exit 4").env("PATH", "/nonexistent").build();
        new WorkDir(dir.resolve("a")).prepare(noCurl, job(List.of()), new RecordingEvents(),
                "http://127.0.0.1:9/never/", "0".repeat(64));
        Process p = launch(dir.resolve("a"));
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(4);
        assertThat(dir.resolve("a/.uws/callback.log")).doesNotExist();
        // no callback files (callbacks off)
        assertThat(runScript(dir.resolve("b"), SlurmJobType.builder("/bin/sh").args("-c", "exit 4").build()))
                .isEqualTo(4);
        assertThat(dir.resolve("b/.uws/callback.log")).doesNotExist();
        assertThat(dir.resolve("b/.uws/callback")).doesNotExist();
    }

    static long lines(Path f) {
        try {
            return Files.exists(f) ? Files.readAllLines(f).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
