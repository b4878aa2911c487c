package org.uwskit.slurm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.slurm.internal.CallbackTokens;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.testkit.CallbackReceiverContract;

/**
 * The testkit's {@link CallbackReceiverContract} against a SLURM backend following no job (a session that knows no
 * job: a callback never reaches SLURM anyway).
 */
class SlurmCallbackReceiverContractTest extends CallbackReceiverContract {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path work;

    @Override
    protected CallbackReceiver createReceiver() {
        return SlurmBackend.builder().session(new NoJobs()).workRoot(work).callbackSecret(SECRET).build();
    }

    @Override
    protected String knownEvent() {
        return "ended";
    }

    @Override
    protected String validToken(String jobId) {
        return new CallbackTokens(SECRET).token(jobId);
    }

    /** A cluster with no job. */
    static final class NoJobs implements JobSession {
        @Override public String name() { return "none"; }
        @Override public String runJob(JobTemplate t) throws BackendException { throw new BackendException("no"); }
        @Override public Map<String, JobInfo> jobInfos(Collection<String> ids) { return Map.of(); }
        @Override public Map<String, List<String>> jobIdsByName(Collection<String> names) { return Map.of(); }
        @Override public void terminate(String id) { }
        @Override public void hold(String id) { }
        @Override public void release(String id) { }
        @Override public void suspend(String id) { }
        @Override public void resume(String id) { }
        @Override public void close() { }
    }
}
