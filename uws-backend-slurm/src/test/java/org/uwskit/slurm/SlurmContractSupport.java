package org.uwskit.slurm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionBackend.BackendException;

/** A session that remembers what it submitted (so that tests cancel it afterwards) and counts its calls. */
class RecordingSession extends ForwardingSession {
    final List<String> submitted = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicInteger infoCalls = new java.util.concurrent.atomic.AtomicInteger();

    RecordingSession(JobSession inner) {
        super(inner);
    }

    @Override
    public String runJob(JobTemplate t) throws BackendException {
        String id = inner.runJob(t);
        submitted.add(id);
        return id;
    }

    @Override
    public Map<String, JobInfo> jobInfos(Collection<String> ids) throws BackendException {
        infoCalls.incrementAndGet();
        return inner.jobInfos(ids);
    }

    /** Cancels everything it submitted (jobs a closed, reattachable backend left running). */
    void cancelAll() {
        for (String id : submitted) {
            SlurmSupport.admin("scancel", id);
        }
    }
}

/** Builds backends for the testkit's contract. */
final class SlurmContractSupport {
    private SlurmContractSupport() {
    }

    static ExecutionBackend backend(RecordingSession session, String name) {
        try {
            Path work = Files.createDirectories(Path.of("target", "slurm-contract").toAbsolutePath());
            return SlurmBackend.builder().name(name).session(session).workRoot(work)
                    .jobCompLog(SlurmSupport.jobComp()).pollInterval(Duration.ofMillis(200))
                    .jobType("ok", SlurmJobType.builder("/bin/echo").args("hello").build())
                    .jobType("fail", SlurmJobType.builder("/bin/false").build())
                    .jobType("long", SlurmJobType.builder("/bin/sleep").args("1000").build())
                    .build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
