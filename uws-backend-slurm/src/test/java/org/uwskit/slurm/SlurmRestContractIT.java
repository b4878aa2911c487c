package org.uwskit.slurm;

import org.junit.jupiter.api.AfterEach;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.testkit.ReattachableBackendContract;

/** The testkit's backend contract against the real SLURM, through the rest transport. */
class SlurmRestContractIT extends ReattachableBackendContract {
    private RecordingSession session;

    @Override
    protected ExecutionBackend createBackend() {
        session = new RecordingSession(SlurmSupport.session("rest"));
        return SlurmContractSupport.backend(session, "slurm-rest");
    }

    @AfterEach
    void cancelWhatWasLeftRunning() {
        if (session != null) {
            session.cancelAll();
        }
    }

    @Override
    protected String succeedingJobType() {
        return "ok";
    }

    @Override
    protected String failingJobType() {
        return "fail";
    }

    @Override
    protected String longRunningJobType() {
        return "long";
    }
}
