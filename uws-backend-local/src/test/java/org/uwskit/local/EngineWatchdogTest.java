package org.uwskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.testkit.ManualEngine;
import org.uwskit.testkit.SettableClock;
import org.uwskit.testkit.Await;

/** The engine's execution-duration watchdog with this backend, driven by a manual engine and a settable clock. */
class EngineWatchdogTest {
    private static final Duration MAX = Duration.ofSeconds(15);
    private static final Caller CALLER = Caller.system();

    @TempDir
    Path tmp;
    private final SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private JobService service;
    private ManualEngine engine;
    private final List<ProcessHandle> seen = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        seen.forEach(ProcessHandle::destroyForcibly);
        if (engine != null) {
            engine.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private void start(LocalBackend.Builder backend, String... types) {
        JobList.Builder list = JobList.builder("jobs").policy(JobListPolicy.builder().allowAnonymous(true).build());
        for (String t : types) {
            list.definition(JobDefinition.builder(t).build());
        }
        service = JobService.builder().clock(clock).resultStore(new InMemoryResultStore()).jobList(list.build()).build();
        engine = ManualEngine.create(service, backend.clock(clock).build());
    }

    private Job submit(String type, long seconds) {
        Job job = service.create(CALLER, "jobs", JobRequest.builder().parameter("type", type)
                .executionDuration(seconds).run().build());
        assertThat(engine.runDueWork()).isEqualTo(1);
        return awaitJob(job.jobId(), j -> j.phase() == Phase.EXECUTING);
    }

    private Job awaitJob(String jobId, Predicate<Job> condition) {
        Job[] last = new Job[1];
        Await.until(MAX, Await.DEFAULT_POLL, () -> condition.test(last[0] = service.get(CALLER, "jobs", jobId)),
                "job meets the condition", () -> "last " + last[0]);
        return last[0];
    }

    @Test
    void watchdogAbortsInJvmLogicAndKeepsItsResults() {
        AtomicBoolean cancelledSeen = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        start(LocalBackend.builder().logic("long", ctx -> {
            try (OutputStream o = ctx.result("partial", "text/plain")) {
                o.write("written before the deadline".getBytes(StandardCharsets.UTF_8));
            }
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } finally {
                cancelledSeen.set(ctx.isCancelled());
                returned.set(true);
            }
        }), "long");
        Job job = submit("long", 60);
        awaitJob(job.jobId(), j -> j.result("partial").isPresent());

        clock.advance(Duration.ofSeconds(59));
        engine.runHousekeeping();
        assertThat(service.get(CALLER, "jobs", job.jobId()).phase()).isEqualTo(Phase.EXECUTING);
        clock.advance(Duration.ofSeconds(2));
        engine.runHousekeeping();

        Job after = awaitJob(job.jobId(), j -> j.phase() == Phase.ABORTED);
        assertThat(after.history()).last().extracting(PhaseChange::reason).isEqualTo("execution duration exceeded");
        assertThat(after.result("partial")).hasValueSatisfying(r -> assertThat(r.size()).isEqualTo(27));
        Await.until(MAX, returned::get, "the logic returns after the abort");
        assertThat(returned).isTrue();
        assertThat(cancelledSeen).isTrue();
    }

    @Test
    void watchdogKillsAProcessTreeAndListsItsOutputSoFar() throws Exception {
        Path script = tmp.resolve("long.sh");
        Files.writeString(script, "#!/bin/sh\necho partial\necho 'half' > part.txt\nsleep 1000 &\nwait\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        start(LocalBackend.builder().workRoot(tmp.resolve("work")).killGrace(Duration.ofMillis(300))
                .process("proc", ProcessTemplate.builder(script.toString()).output("part.txt", "text/plain").build()),
                "proc");
        Job job = submit("proc", 10);
        Job running = awaitJob(job.jobId(), j -> j.jobInfo().containsKey("pid"));
        ProcessHandle root = ProcessHandle.of(Long.parseLong(running.jobInfo().get("pid"))).orElseThrow();
        List<ProcessHandle> tree = LocalBackendProcessTest.awaitDescendants(root, 1);
        seen.add(root);
        seen.addAll(tree);

        clock.advance(Duration.ofSeconds(11));
        engine.runHousekeeping();

        Job after = awaitJob(job.jobId(), j -> j.result("stdout").isPresent() && j.result("part.txt").isPresent());
        assertThat(after.phase()).isEqualTo(Phase.ABORTED);
        assertThat(after.result("stdout").map(Result::size)).hasValue(8L);
        assertThat(root.isAlive()).isFalse();
        assertThat(tree).allSatisfy(h -> assertThat(h.isAlive()).as("pid %d", h.pid()).isFalse());
        try (var c = service.openResult(CALLER, "jobs", job.jobId(), "part.txt", 0, -1)) {
            assertThat(new String(c.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("half\n");
        }
    }
}
