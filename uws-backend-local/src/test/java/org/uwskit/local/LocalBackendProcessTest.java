package org.uwskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.JobDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.spi.ExecutionBackend.BackendState;
import org.uwskit.testkit.Await;

class LocalBackendProcessTest {
    private static final Duration MAX = Duration.ofSeconds(15);

    @TempDir
    Path tmp;
    private final List<LocalBackend> backends = new ArrayList<>();
    /** Processes a test saw; killed afterwards so that a failing test leaves nothing behind either. */
    private final List<ProcessHandle> seen = new ArrayList<>();

    @AfterEach
    void close() {
        backends.forEach(LocalBackend::close);
        seen.forEach(ProcessHandle::destroyForcibly);
    }

    private LocalBackend backend(String type, ProcessTemplate template) {
        LocalBackend b = LocalBackend.builder().workRoot(tmp.resolve("work")).killGrace(Duration.ofMillis(500))
                .process(type, template).build();
        backends.add(b);
        return b;
    }

    /** Writes an executable /bin/sh script file. */
    private Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void wcCountsTheLinesOfAnUploadedFile() throws Exception {
        LocalBackend backend = backend("wc", ProcessTemplate.builder("/usr/bin/wc").arg("-l").argFromUpload("FILE").build());
        CapturingEvents events = new CapturingEvents().upload("FILE", "one\ntwo\nthree\n");
        String ref = backend.submit(Jobs.template("wc", "FILE", "param:FILE"), events);

        assertThat(events.awaitEnd(MAX)).isEqualTo("completed");
        assertThat(events.text("stdout")).isEqualTo("3 ./FILE\n");
        assertThat(events.text("stderr")).isEmpty();
        assertThat(events.mimeTypes).containsEntry("stdout", "text/plain").containsEntry("stderr", "text/plain");
        assertThat(events.info).containsKey("pid");
        assertThat(backend.states(List.of(ref))).containsEntry(ref, BackendState.DONE);
        // the work directory is gone once the job ended
        assertThat(tmp.resolve("work")).isEmptyDirectory();
    }

    @Test
    void aFailingExitCodeEndsInErrorWithTheStderrTail() throws Exception {
        Path s = script("fail.sh", "echo progress on stdout\nfor i in 1 2 3 4 5; do echo \"line $i\" >&2; done\n"
                + "echo 'fatal: the table is empty' >&2\nexit 3\n");
        LocalBackend backend = backend("fail", ProcessTemplate.builder(s.toString()).build());
        CapturingEvents events = new CapturingEvents();
        String ref = backend.submit(Jobs.template("fail"), events);

        assertThat(events.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(events.message).isEqualTo("exit code 3: line 4 | line 5 | fatal: the table is empty");
        assertThat(events.detail).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\nfatal: the table is empty\n");
        assertThat(events.text("stdout")).isEqualTo("progress on stdout\n");
        assertThat(backend.states(List.of(ref))).containsEntry(ref, BackendState.FAILED);
    }

    @Test
    void binFalseFailsWithExitCodeOne() throws Exception {
        LocalBackend backend = backend("false", ProcessTemplate.builder("/bin/false").build());
        CapturingEvents events = new CapturingEvents();
        backend.submit(Jobs.template("false"), events);
        assertThat(events.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(events.message).isEqualTo("exit code 1");
        assertThat(events.detail).isNull();
    }

    @Test
    void shellMetacharactersArriveVerbatimAsOneArgument() throws Exception {
        Path marker = tmp.resolve("x");
        Files.createDirectory(marker);
        Path s = script("args.sh", "printf '%s\\n' \"$#\" > args.txt\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\" >> args.txt; done\n"
                + "printf '%s' \"$MY_ENV\" > env.txt\n");
        String evil = "; rm -rf " + marker + " $(id) `id` && echo pwned | cat > /tmp/pwned-" + marker.getFileName()
                + " 'quoted' \"double\"\nsecond line";
        LocalBackend backend = backend("args", ProcessTemplate.builder("/bin/sh").arg(s.toString())
                .argFromParameter("OPTION").arg("literal two").envFromParameter("MY_ENV", "MESSAGE")
                .output("args.txt", "text/plain").output("env.txt", "text/plain").output("absent.txt", null).build());
        CapturingEvents events = new CapturingEvents();
        backend.submit(Jobs.template("args", "OPTION", evil, "MESSAGE", "$(id) ; echo no"), events);

        assertThat(events.awaitEnd(MAX)).isEqualTo("completed");
        assertThat(events.text("args.txt")).isEqualTo("2\n[" + evil + "]\n[literal two]\n");
        assertThat(events.text("env.txt")).isEqualTo("$(id) ; echo no");
        assertThat(events.results).doesNotContainKey("absent.txt");
        assertThat(marker).isDirectory();
    }

    @Test
    void aMissingParameterOrUploadFailsWithAClearMessage() throws Exception {
        JobDefinition def = JobDefinition.builder("wc")
                .parameter(ParameterDefinition.builder("LINES", ParameterType.INTEGER).defaultValue("7")).build();
        Path s = script("echo.sh", "printf '%s' \"$1\" > out.txt\n");
        LocalBackend backend = LocalBackend.builder().workRoot(tmp.resolve("work"))
                .process("wc", ProcessTemplate.builder("/bin/sh").arg(s.toString()).argFromParameter("LINES")
                        .output("out.txt", "text/plain").build())
                .process("needs-option", ProcessTemplate.builder("/bin/echo").argFromParameter("OPTION").build())
                .process("needs-file", ProcessTemplate.builder("/usr/bin/wc").argFromUpload("FILE").build())
                .build();
        backends.add(backend);

        CapturingEvents defaulted = new CapturingEvents();
        backend.submit(Jobs.template(def), defaulted);
        assertThat(defaulted.awaitEnd(MAX)).isEqualTo("completed");
        assertThat(defaulted.text("out.txt")).isEqualTo("7");

        CapturingEvents noOption = new CapturingEvents();
        backend.submit(Jobs.template("needs-option"), noOption);
        assertThat(noOption.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(noOption.message).isEqualTo("parameter OPTION has no value, but job type needs-option passes it to its command");

        CapturingEvents noFile = new CapturingEvents();
        backend.submit(Jobs.template("needs-file"), noFile);
        assertThat(noFile.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(noFile.message).contains("parameter FILE is missing");

        CapturingEvents byUrl = new CapturingEvents();
        backend.submit(Jobs.template("needs-file", "FILE", "http://example.org/t.csv"), byUrl);
        assertThat(byUrl.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(byUrl.message).contains("must refer to an inline upload").contains("http://example.org/t.csv");

        CapturingEvents lostUpload = new CapturingEvents();
        backend.submit(Jobs.template("needs-file", "FILE", "param:gone"), lostUpload);
        assertThat(lostUpload.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(lostUpload.message).contains("the upload gone, which the job does not have");
    }

    @Test
    void aCommandThatCannotStartFailsWithAClearMessage() throws Exception {
        LocalBackend backend = backend("nope", ProcessTemplate.builder("no-such-command-uwskit").build());
        CapturingEvents events = new CapturingEvents();
        backend.submit(Jobs.template("nope"), events);
        assertThat(events.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(events.message).startsWith("cannot start no-such-command-uwskit");
    }

    @Test
    void abortKillsTheWholeProcessTreeAndKeepsOutputSoFar() throws Exception {
        Path s = script("tree.sh", "echo started\nsleep 1000 &\nsleep 1000 &\n/bin/sh -c 'sleep 1000' &\nwait\n");
        assertTreeKilled(s);
    }

    @Test
    void processesIgnoringSigtermAreKilledAfterTheGrace() throws Exception {
        Path s = script("stubborn.sh", "trap '' TERM\necho started\nsleep 1000 &\nsleep 1000 &\nwhile true; do sleep 1; done\n");
        assertTreeKilled(s);
    }

    private void assertTreeKilled(Path s) throws Exception {
        LocalBackend backend = backend("tree", ProcessTemplate.builder(s.toString()).build());
        CapturingEvents events = new CapturingEvents();
        String ref = backend.submit(Jobs.template("tree"), events);
        events.awaitEvent("started", MAX);
        ProcessHandle root = awaitRoot(events);
        List<ProcessHandle> tree = awaitDescendants(root, 2);
        seen.add(root);
        seen.addAll(tree);
        assertThat(backend.states(List.of(ref))).containsEntry(ref, BackendState.RUNNING);

        long t0 = System.nanoTime();
        backend.abort(ref);

        assertThat(events.awaitEnd(MAX)).isEqualTo("aborted");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(root.isAlive()).isFalse();
        assertThat(tree).isNotEmpty().allSatisfy(h -> assertThat(h.isAlive()).as("pid %d", h.pid()).isFalse());
        assertThat(events.text("stdout")).isEqualTo("started\n");
        assertThat(backend.states(List.of(ref))).containsEntry(ref, BackendState.ABORTED);
    }

    @Test
    void closeKillsRunningProcesses() throws Exception {
        Path s = script("sleepy.sh", "sleep 1000 &\nwait\n");
        LocalBackend backend = LocalBackend.builder().workRoot(tmp.resolve("w")).killGrace(Duration.ofMillis(200))
                .process("sleepy", ProcessTemplate.builder(s.toString()).build()).build();
        CapturingEvents events = new CapturingEvents();
        backend.submit(Jobs.template("sleepy"), events);
        ProcessHandle root = awaitRoot(events);
        List<ProcessHandle> tree = awaitDescendants(root, 1);
        seen.add(root);
        seen.addAll(tree);

        backend.close();

        assertThat(events.awaitEnd(MAX)).isEqualTo("aborted");
        assertThat(root.isAlive()).isFalse();
        assertThat(tree).allSatisfy(h -> assertThat(h.isAlive()).isFalse());
    }

    @Test
    void declaredOutputsMustBeSafeNames() {
        assertThatThrownBy(() -> ProcessTemplate.builder("/bin/cat").output("../x", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output file name '../x'");
        assertThatThrownBy(() -> ProcessTemplate.builder("/bin/cat").output("stdout", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> ProcessTemplate.builder("/no/such/binary").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> ProcessTemplate.builder("/bin/cat").envFromParameter("A-B", "X"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment variable name");
    }

    @Test
    void catCopiesAnUploadToADeclaredOutput() throws Exception {
        Path s = script("copy.sh", "/bin/cat \"$1\" > copy.csv\n");
        LocalBackend backend = backend("copy", ProcessTemplate.builder("/bin/sh").arg(s.toString()).argFromUpload("TABLE")
                .output("copy.csv", "text/csv").build());
        CapturingEvents events = new CapturingEvents().upload("t1", "a,b\n1,2\n");
        backend.submit(Jobs.template("copy", "TABLE", "param:t1"), events);
        assertThat(events.awaitEnd(MAX)).isEqualTo("completed");
        assertThat(events.text("copy.csv")).isEqualTo("a,b\n1,2\n");
        assertThat(events.mimeTypes).containsEntry("copy.csv", "text/csv");
    }

    static ProcessHandle awaitRoot(CapturingEvents events) {
        Await.until(MAX, Await.DEFAULT_POLL, () -> events.info.get("pid") != null, "a pid reported",
                () -> "none");
        String pid = events.info.get("pid");
        Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid));
        assertThat(h).as("process %s", pid).isPresent();
        return h.get();
    }

    static List<ProcessHandle> awaitDescendants(ProcessHandle root, int atLeast) {
        List<List<ProcessHandle>> last = new java.util.ArrayList<>(List.of(List.of()));
        Await.until(MAX, Await.DEFAULT_POLL, () -> {
            List<ProcessHandle> d = root.descendants().toList();
            last.set(0, d);
            return d.stream().filter(h -> h.info().command().map(c -> c.endsWith("sleep")).orElse(false)).count()
                    >= atLeast;
        }, "at least " + atLeast + " sleep children of " + root.pid(), () -> "descendants " + last.get(0));
        return last.get(0);
    }
}
