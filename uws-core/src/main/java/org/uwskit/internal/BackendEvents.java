package org.uwskit.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.uwskit.BlobKind;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.PhaseMachine;
import org.uwskit.Result;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.ResultStore;

/**
 * The {@link ExecutionEvents} sink of one running job: turns what its backend reports into rules of the kernel's
 * change loop, written through the outage-tolerant {@link EventWriter}. Each phase event asks the {@link PhaseMachine}
 * whether the job's current phase allows it; an event the phase no longer allows (completed after a stored ABORT)
 * changes nothing. Not API. Thread-safe: backends report on any thread.
 */
final class BackendEvents implements ExecutionEvents {
    private static final Pattern XML_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]*");

    private final EngineNode node;
    private final EventWriter writer;
    private final RunningJob r;

    BackendEvents(EngineNode node, EventWriter writer, RunningJob r) {
        this.node = node;
        this.writer = writer;
        this.r = r;
    }

    private void apply(String what, JobKernel.Rule rule) {
        writer.record(r, new EventWriter.Write(what, rule, null, false));
    }

    private void move(Phase from, Phase to, String reason) {
        Instant now = node.now();
        apply(reason, cur -> {
            if (cur.phase() != from || !PhaseMachine.isAllowed(from, to)) {
                return cur;
            }
            Job.Builder b = cur.toBuilder().phase(to, now, reason);
            if (to == Phase.EXECUTING && cur.startTime() == null) {
                b.startTime(now);
            }
            return b.build();
        });
        r.lastPhase = to;
    }

    private void end(Phase to, String reason, ErrorSummary error) {
        r.finishing = true;
        Instant now = node.now();
        writer.record(r, new EventWriter.Write(reason, cur -> EngineNode.terminal(cur, to, reason, error, now), null,
                true));
    }

    @Override
    public void started() {
        Instant now = node.now();
        apply("started", cur -> {
            Phase p = cur.phase();
            if (!PhaseMachine.isAllowed(p, Phase.EXECUTING)) {
                return cur;
            }
            Job.Builder b = cur.toBuilder().phase(Phase.EXECUTING, now, p == Phase.QUEUED ? "started" : "resumed");
            if (cur.startTime() == null) {
                b.startTime(now);
            }
            return b.build();
        });
        r.lastPhase = Phase.EXECUTING;
    }

    @Override
    public void progress(double fraction, String message) {
        writer.record(r, new EventWriter.Write("progress", cur -> {
            if (cur.phase().isFinished() || cur.phase() == Phase.ARCHIVED) {
                return cur;
            }
            Job.Builder b = cur.toBuilder();
            if (fraction >= 0) {
                b.putJobInfo("progress", String.format(Locale.ROOT, "%.3f", Math.min(1.0, fraction)));
            }
            if (message != null) {
                b.putJobInfo("progressMessage", message);
            }
            return b.build();
        }, "progress" + (fraction >= 0 ? " fraction" : "") + (message != null ? " message" : ""), false));
    }

    @Override
    public void info(String key, String value) {
        if (key == null || !XML_NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("jobInfo key '" + key + "' is not an XML name");
        }
        writer.record(r, new EventWriter.Write("info " + key, cur -> Objects.equals(cur.jobInfo().get(key), value)
                ? cur : cur.toBuilder().putJobInfo(key, value == null ? "" : value).build(), "info " + key, false));
    }

    @Override
    public OutputStream openResult(String id, String mimeType) throws IOException {
        ResultStore.checkName(id);
        OutputStream out = node.results.create(r.jobId, BlobKind.RESULT, id);
        return new FilterOutputStream(out) {
            private long size;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                size++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                size += len;
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                super.close();
                addResult(Result.stored(id, mimeType, size));
            }
        };
    }

    @Override
    public void addResult(Result result) {
        ResultStore.checkName(result.id());
        writer.record(r, new EventWriter.Write("result " + result.id(), cur -> cur.phase() == Phase.ARCHIVED ? cur
                : cur.toBuilder().addResult(result).build(), "result " + result.id(), false));
    }

    @Override
    public InputStream openUpload(String name) throws IOException {
        String blob = name;
        Optional<Job> job;
        try {
            job = node.store.get(r.jobId);
        } catch (StoreUnavailableException e) {
            throw new IOException("the job store is unavailable; cannot read upload '" + name + "' of job "
                    + r.jobId, e);
        }
        if (job.isPresent()) {
            for (Parameter p : job.get().parameters()) {
                if (p.upload() != null && p.isNamed(name) && p.value().startsWith("param:")) {
                    blob = p.value().substring(6);
                    break;
                }
            }
        }
        return node.results.read(r.jobId, BlobKind.UPLOAD, blob, 0, -1);
    }

    @Override
    public void suspended() {
        move(Phase.EXECUTING, Phase.SUSPENDED, "suspended");
    }

    @Override
    public void resumed() {
        move(Phase.SUSPENDED, Phase.EXECUTING, "resumed");
    }

    @Override
    public void held() {
        Instant now = node.now();
        apply("held", cur -> (cur.phase() == Phase.QUEUED || cur.phase() == Phase.EXECUTING)
                && PhaseMachine.isAllowed(cur.phase(), Phase.HELD)
                ? cur.toBuilder().phase(Phase.HELD, now, "held").build() : cur);
        r.lastPhase = Phase.HELD;
    }

    @Override
    public void released() {
        move(Phase.HELD, Phase.QUEUED, "released");
    }

    @Override
    public void completed() {
        end(Phase.COMPLETED, "completed", null);
    }

    @Override
    public void failed(String message, String detail) {
        String m = message == null || message.isBlank() ? "the job failed" : message;
        end(Phase.ERROR, "failed", new ErrorSummary(ErrorSummary.Type.FATAL, m, detail));
    }

    @Override
    public void aborted(String reason) {
        end(Phase.ABORTED, reason == null ? "aborted" : reason, null);
    }

    @Override
    public boolean abortRequested() {
        return r.abortRequested || node.closed.get();
    }
}
