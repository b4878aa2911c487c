package org.uwskit.local.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.uwskit.local.JobContext;
import org.uwskit.spi.ExecutionEvents;

/**
 * The logger a job's logic gets: every line goes to the host's logger {@code org.uwskit.local.job.<jobType>}
 * (prefixed with the job id) and to the job's {@value JobContext#LOG_RESULT} result, which is opened on the first
 * line and listed when {@link #close()} is called. Internal; thread-safe.
 */
public final class JobLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JobLogger.class);

    private final transient Logger host;
    private final transient LocalJob job;
    private transient OutputStream sink;
    private transient boolean closed;

    public JobLogger(LocalJob job) {
        this.job = job;
        this.host = LoggerFactory.getLogger("org.uwskit.local.job." + job.template().jobType());
        this.name = host.getName();
    }

    @Override
    public boolean isTraceEnabled() {
        return host.isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return host.isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        String text = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        host.atLevel(level).setCause(throwable).log("[{}] {}", job.template().jobId(), text);
        StringBuilder line = new StringBuilder()
                .append(job.settings().clock().instant()).append(' ').append(level).append(' ').append(text).append('\n');
        if (throwable != null) {
            line.append(Texts.stackTrace(throwable));
        }
        write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void write(byte[] bytes) {
        if (closed) {
            return;
        }
        try {
            if (sink == null) {
                ExecutionEvents events = job.events();
                sink = events.openResult(JobContext.LOG_RESULT, "text/plain");
            }
            sink.write(bytes);
        } catch (IOException | RuntimeException e) {
            LOG.warn("job {}: cannot write its log result; further lines go to the host log only",
                    job.template().jobId(), e);
            closed = true;
        }
    }

    /** Closes the log result (it is listed now); later lines go to the host's log only. Idempotent. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("job {}: cannot close its log result", job.template().jobId(), e);
            }
        }
    }
}
