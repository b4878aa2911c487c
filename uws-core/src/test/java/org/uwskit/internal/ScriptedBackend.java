package org.uwskit.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * A backend whose jobs do nothing until the test reports their events through {@link #events(String)}: every
 * step is explicit and deterministic. Records submissions and abort requests.
 */
public final class ScriptedBackend implements ExecutionBackend {
    public final Map<String, ExecutionEvents> events = new ConcurrentHashMap<>();
    public final Map<String, JobTemplate> templates = new ConcurrentHashMap<>();
    public final List<String> aborts = new CopyOnWriteArrayList<>();
    /** The job id of every accepted submission, in order (a job submitted twice appears twice). */
    public final List<String> submitted = new CopyOnWriteArrayList<>();
    public final Set<String> failSubmitFor = ConcurrentHashMap.newKeySet();
    /** When true, abort() reports aborted() synchronously, as a fast backend would. */
    public volatile boolean reportAbortAtOnce;
    public volatile boolean closed;

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public boolean accepts(String jobType) {
        return !jobType.startsWith("unsupported");
    }

    @Override
    public String submit(JobTemplate template, ExecutionEvents ev) throws BackendException {
        if (failSubmitFor.contains(template.jobType())) {
            throw new BackendException("cluster refused the job");
        }
        submitted.add(template.jobId());
        events.put(template.jobId(), ev);
        templates.put(template.jobId(), template);
        return "ref-" + template.jobId();
    }

    /** The events handle of a submitted job. */
    public ExecutionEvents events(String jobId) {
        ExecutionEvents e = events.get(jobId);
        if (e == null) {
            throw new AssertionError("job " + jobId + " was not submitted; submitted: " + events.keySet());
        }
        return e;
    }

    @Override
    public void abort(String backendRef) {
        aborts.add(backendRef);
        if (reportAbortAtOnce) {
            ExecutionEvents e = events.get(backendRef.substring(4));
            if (e != null) {
                e.aborted("aborted by backend");
            }
        }
    }

    @Override
    public Map<String, BackendState> states(Collection<String> refs) {
        Map<String, BackendState> out = new LinkedHashMap<>();
        refs.forEach(r -> out.put(r, events.containsKey(r.substring(Math.min(4, r.length())))
                ? BackendState.RUNNING : BackendState.UNKNOWN));
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }
}
