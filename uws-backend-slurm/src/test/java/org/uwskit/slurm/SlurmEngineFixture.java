package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uwskit.testkit.Await;
import org.uwskit.BlobKind;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.memory.FileResultStore;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.internal.Processes;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.ResultStore;

/**
 * A real engine and job service over the SLURM backend, against the real one-node SLURM of {@code scripts/slurm.sh}:
 * what the SLURM integration tests share. Subclasses may wrap the session and add to the backend's configuration.
 */
abstract class SlurmEngineFixture {
    static final Caller ALICE = Caller.of("alice");
    static final Duration WAIT = Duration.ofSeconds(20);
    /** How often the awaits look again. */
    static final Duration POLL = Duration.ofMillis(50);
    /** A value a shell would expand, split, glob and redirect, if it ever reached one. */
    static final String NASTY = "; rm -rf /tmp/x $(id) `id` \"'\\ * ? | & < > {a,b} $HOME ~ #\n\ttab\u00e9\u2603";

    final List<String> slurmIds = new ArrayList<>();
    JobStore store;
    ResultStore results;
    JobService service;
    Engine engine;
    SlurmBackend backend;
    Path work;

    static Map<String, SlurmJobType> types() {
        return Map.of(
                "echo", SlurmJobType.builder("/bin/sh")
                        .args("-c", "printf '%s' \"$1\" > out.txt; printf '%s' \"$V\" > env.txt; echo said: \"$1\"",
                                "sh")
                        .argFromParameter("MESSAGE").envFromParameter("V", "MESSAGE")
                        .fileFromParameter("in.txt", "MESSAGE")
                        .output("out.txt", "text/plain").output("env.txt", "text/plain")
                        .output("in.txt", "text/plain").build(),
                "fail", SlurmJobType.builder("/bin/sh").args("-c", "echo 'bad things happened' >&2; exit 3").build(),
                "sleep", SlurmJobType.builder("/bin/sh")
                        .args("-c", "echo run >> ../runs-$1.txt; sleep \"$2\"; echo done > done.txt", "sh")
                        .argFromParameter("TAG").argFromParameter("SECONDS")
                        .cpusFromParameter("NCPU").output("done.txt", "text/plain").build());
    }

    RecordingSession session;

    /** The session the backend uses, around the real one (the default: the real one). */
    JobSession wrap(JobSession real) {
        return real;
    }

    /** The job lists (each with one job type of the same name; the backend must run each). */
    List<String> lists() {
        return List.of("echo", "fail", "sleep");
    }

    /** More configuration of the backend (the default: none). */
    SlurmBackend.Builder configure(SlurmBackend.Builder b) {
        return b;
    }

    void start(String transport, Path workRoot, Duration lease) {
        session = new RecordingSession(wrap(SlurmSupport.session(transport)));
        backend = configure(SlurmBackend.builder().name("slurm").session(session).workRoot(workRoot)
                .jobCompLog(SlurmSupport.jobComp()).pollInterval(Duration.ofMillis(200))
                .limits(new SlurmLimits(64, 1024, 60, Set.of(), null))
                .jobType("echo", types().get("echo")).jobType("fail", types().get("fail"))
                .jobType("sleep", types().get("sleep"))).build();
        JobService.Builder sb = JobService.builder().store(store).resultStore(results);
        for (String t : lists()) {
            // SLURM queues; the engine's own limit (the node's cores by default) must not hold jobs back
            sb.jobList(JobList.builder(t).definition(JobDefinition.builder(t).build())
                    .policy(org.uwskit.JobListPolicy.builder().maxExecutingJobs(64).build()).build());
        }
        if (service == null) {
            service = sb.build();
        }
        engine = Engine.builder(service).nodeId("node-" + transport + "-" + System.nanoTime()).backend(backend)
                .pollInterval(Duration.ofMillis(200)).housekeepingInterval(Duration.ofMillis(200))
                .leaseDuration(lease).shutdownGrace(Duration.ofSeconds(2)).build();
        engine.start();
    }

    void start(String transport) throws IOException {
        work = Files.createDirectories(Path.of("target", "slurm-work").toAbsolutePath())
                .resolve(transport + "-" + System.nanoTime());
        Files.createDirectories(work);
        store = new InMemoryJobStore();
        results = new FileResultStore(work.resolve("results"));
        start(transport, work, Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (service != null) {
            service.close();
        }
        for (String id : slurmIds) {
            SlurmSupport.admin("scancel", id);
        }
        if (session != null) {
            session.cancelAll();
        }
    }

    Job run(String list, long duration, String... params) {
        JobRequest.Builder r = JobRequest.builder().run().executionDuration(duration);
        for (int i = 0; i < params.length; i += 2) {
            r.parameter(params[i], params[i + 1]);
        }
        return service.create(ALICE, list, r.build());
    }

    Job get(Job j) {
        return service.get(ALICE, j.jobList(), j.jobId());
    }

    Job await(Job j, String what, Predicate<Job> p) throws InterruptedException {
        AtomicReference<Job> cur = new AtomicReference<>(get(j));
        Await.until(WAIT, POLL, () -> p.test(cur.updateAndGet(x -> get(j))), "job " + j.jobId() + " " + what,
                () -> cur.get().phase() + " " + cur.get().jobInfo() + " " + cur.get().error());
        return cur.get();
    }

    Job awaitPhase(Job j, Phase phase) throws InterruptedException {
        return await(j, phase.name(), x -> x.phase() == phase);
    }

    String slurmId(Job j) throws InterruptedException {
        String id = await(j, "submitted", x -> x.jobInfo().containsKey("slurmJobId")).jobInfo().get("slurmJobId");
        slurmIds.add(id);
        return id;
    }

    String result(Job j, String id) throws IOException {
        try (InputStream in = results.read(j.jobId(), BlobKind.RESULT, id, 0, -1)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    JobInfo slurm(String id) {
        try (JobSession s = SlurmSupport.session("commands")) {
            return s.jobInfos(List.of(id)).get(id);
        } catch (Exception e) {
            throw new IllegalStateException("asking SLURM about job " + id + " failed", e);
        }
    }

    static List<Phase> path(Job j) {
        return j.history().stream().map(PhaseChange::to).toList();
    }

    /** A job that takes every CPU of the node for a while, so that the next one waits (PENDING, Resources). */
    Job blocker(String tag) throws InterruptedException {
        Job b = run("sleep", 600, "TAG", tag, "SECONDS", "120", "NCPU", Integer.toString(SlurmSupport.nodeCpus()));
        slurmId(b);
        return awaitPhase(b, Phase.EXECUTING);
    }

    void awaitSlurm(String id, String state) throws Exception {
        AtomicReference<JobInfo> i = new AtomicReference<>();
        Await.until(WAIT, POLL, () -> {
            i.set(slurm(id));
            return i.get() != null && i.get().slurmState().equals(state);
        }, "SLURM job " + id + " " + state, () -> String.valueOf(i.get()));
    }
}
