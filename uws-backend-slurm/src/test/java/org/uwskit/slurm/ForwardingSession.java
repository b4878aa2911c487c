package org.uwskit.slurm;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.spi.ExecutionBackend.BackendException;

/** A session that hands every call to a real one: the base of the tests' recording decorators. */
class ForwardingSession implements JobSession {
    final JobSession inner;

    ForwardingSession(JobSession inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String runJob(JobTemplate t) throws BackendException {
        return inner.runJob(t);
    }

    @Override
    public Map<String, JobInfo> jobInfos(Collection<String> ids) throws BackendException {
        return inner.jobInfos(ids);
    }

    @Override
    public Map<String, List<String>> jobIdsByName(Collection<String> names) throws BackendException {
        return inner.jobIdsByName(names);
    }

    @Override
    public void terminate(String id) throws BackendException {
        inner.terminate(id);
    }

    @Override
    public void hold(String id) throws BackendException {
        inner.hold(id);
    }

    @Override
    public void release(String id) throws BackendException {
        inner.release(id);
    }

    @Override
    public void suspend(String id) throws BackendException {
        inner.suspend(id);
    }

    @Override
    public void resume(String id) throws BackendException {
        inner.resume(id);
    }

    @Override
    public void close() {
        inner.close();
    }
}
