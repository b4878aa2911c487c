package org.uwskit.local.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Parameter;
import org.uwskit.Result;
import org.uwskit.TypedParameters;
import org.uwskit.local.JobContext;
import org.uwskit.local.JobLogic;
import org.uwskit.spi.ResultStore;

/** Runs {@link JobLogic} on the pool thread. Internal. */
public final class LogicExecution implements Execution {
    private static final Logger LOG = LoggerFactory.getLogger(LogicExecution.class);

    private final JobLogic logic;

    public LogicExecution(JobLogic logic) {
        this.logic = logic;
    }

    @Override
    public Outcome run(LocalJob job) {
        Context ctx = new Context(job);
        Throwable failure = null;
        try {
            logic.run(ctx);
        } catch (Throwable t) {
            failure = t;
        }
        boolean cancelled = job.isCancelled();
        // a pending interrupt would make interruptible channels of result storage refuse the final close
        Thread.interrupted();
        ctx.closeAll();
        if (cancelled) {
            return Outcome.aborted(job.cancelReason());
        }
        if (failure != null) {
            if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
                LOG.error("job {}: the JVM failed while running its logic", job.template().jobId(), failure);
            }
            // the client sees what the logic said; the stack trace names our classes and files: log only
            String jobId = job.template().jobId();
            LOG.warn("job {}: the job logic failed (reference job {})", jobId, jobId, failure);
            String m = failure.getMessage();
            String message = m != null && !m.isBlank() ? m : "the job logic failed without a message"
                    // a JDK exception's simple name helps (NullPointerException); the job's own classes stay out
                    + (failure.getClass().getName().startsWith("java.") ? " (" + failure.getClass().getSimpleName()
                    + ")" : "");
            return Outcome.failed(message, message + "\n(reference job " + jobId
                    + ": the server log has the details)\n");
        }
        return Outcome.completed();
    }

    /** The JobContext of one run. */
    private static final class Context implements JobContext {
        private final LocalJob job;
        private final Set<TrackedStream> open = ConcurrentHashMap.newKeySet();
        private volatile JobLogger logger;

        Context(LocalJob job) {
            this.job = job;
        }

        @Override
        public String jobId() {
            return job.template().jobId();
        }

        @Override
        public TypedParameters parameters() {
            return job.template().parameters();
        }

        @Override
        public OutputStream result(String id, String mimeType) throws IOException {
            ResultStore.checkName(id);
            TrackedStream s = new TrackedStream(job.events().openResult(id, mimeType), open);
            open.add(s);
            return s;
        }

        @Override
        public void addResult(Result result) {
            job.events().addResult(java.util.Objects.requireNonNull(result, "result"));
        }

        @Override
        public InputStream upload(String name) throws IOException {
            return job.events().openUpload(uploadName(job, name));
        }

        @Override
        public void progress(double fraction, String message) {
            job.events().progress(fraction, message);
        }

        @Override
        public Logger log() {
            JobLogger l = logger;
            if (l == null) {
                synchronized (this) {
                    if (logger == null) {
                        logger = new JobLogger(job);
                    }
                    l = logger;
                }
            }
            return l;
        }

        @Override
        public boolean isCancelled() {
            return job.isCancelled();
        }

        @Override
        public Instant deadline() {
            return job.deadline();
        }

        void closeAll() {
            for (TrackedStream s : Set.copyOf(open)) {
                try {
                    s.close();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("job {}: cannot close a result the logic left open", jobId(), e);
                }
            }
            JobLogger l = logger;
            if (l != null) {
                l.close();
            }
        }
    }

    /**
     * The upload a name refers to: a parameter whose value is {@code param:x} gives x; {@code param:x} itself gives
     * x; anything else is taken as the upload name.
     */
    static String uploadName(LocalJob job, String name) {
        java.util.Objects.requireNonNull(name, "name");
        for (Parameter p : job.template().rawParameters()) {
            if (p.isNamed(name) && p.value().startsWith("param:")) {
                return p.value().substring("param:".length());
            }
        }
        return name.startsWith("param:") ? name.substring("param:".length()) : name;
    }

    /** A result stream whose close is idempotent and forgotten by its context once done. */
    private static final class TrackedStream extends FilterOutputStream {
        private final Set<TrackedStream> open;
        private boolean closed;

        TrackedStream(OutputStream out, Set<TrackedStream> open) {
            super(out);
            this.open = open;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public synchronized void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            open.remove(this);
            out.close();
        }
    }
}
