package org.uwskit.local.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * One submitted job of a LocalBackend: its state, its cancellation flag and the thread running it. It reports
 * {@code started()} when a pool thread picks it up and exactly one terminal event. Internal; thread-safe.
 */
public final class LocalJob implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalJob.class);

    /** The backend's view of the job. */
    public enum State {
        QUEUED, RUNNING, DONE, FAILED, ABORTED;

        public boolean isFinal() {
            return this == DONE || this == FAILED || this == ABORTED;
        }
    }

    private final String ref;
    private final JobTemplate template;
    private final ExecutionEvents events;
    private final Execution execution;
    private final BackendSettings settings;
    private final Consumer<LocalJob> onFinish;
    private final AtomicBoolean reported = new AtomicBoolean();
    private final Object lock = new Object();
    private State state = State.QUEUED;
    private boolean cancelled;
    private String cancelReason;
    private Thread runner;
    private volatile Instant startedAt;

    public LocalJob(String ref, JobTemplate template, ExecutionEvents events, Execution execution,
                    BackendSettings settings, Consumer<LocalJob> onFinish) {
        this.ref = ref;
        this.template = template;
        this.events = events;
        this.execution = execution;
        this.settings = settings;
        this.onFinish = onFinish;
    }

    public String ref() {
        return ref;
    }

    public JobTemplate template() {
        return template;
    }

    public ExecutionEvents events() {
        return events;
    }

    public BackendSettings settings() {
        return settings;
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** When a pool thread started the job, or null while queued. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Whether an abort was requested, through the backend or through the engine's events. */
    public boolean isCancelled() {
        synchronized (lock) {
            if (cancelled) {
                return true;
            }
        }
        return safeAbortRequested();
    }

    /** Why the job was cancelled, for the ABORTED report. */
    public String cancelReason() {
        synchronized (lock) {
            return cancelReason != null ? cancelReason : "aborted";
        }
    }

    /** The instant the job must end by, or null when unlimited. */
    public Instant deadline() {
        if (template.deadline() != null) {
            return template.deadline();
        }
        Instant start = startedAt;
        return start == null || template.executionDuration() <= 0 ? null : start.plusSeconds(template.executionDuration());
    }

    /**
     * Requests cancellation; the first request interrupts the running thread, if any, later ones do nothing.
     *
     * @return true if this request cancelled a job that has not started yet (the caller then tries to take it off
     *         the queue)
     */
    public boolean cancel(String reason) {
        synchronized (lock) {
            if (state.isFinal()) {
                return false;
            }
            if (cancelled) {
                // interrupt once only: a second interrupt (abort, then close) would break the publishing of results
                return false;
            }
            cancelled = true;
            cancelReason = reason;
            if (runner != null) {
                runner.interrupt();
            }
            return state == State.QUEUED;
        }
    }

    /** Ends a job that was taken off the queue before it ran. */
    public void abortWithoutRunning() {
        finish(Outcome.aborted(cancelReason()));
    }

    @Override
    public void run() {
        boolean cancelledBeforeStart;
        synchronized (lock) {
            if (state != State.QUEUED) {
                return;
            }
            cancelledBeforeStart = cancelled;
            if (!cancelled) {
                state = State.RUNNING;
                runner = Thread.currentThread();
                startedAt = settings.clock().instant();
            }
        }
        if (cancelledBeforeStart) {
            finish(Outcome.aborted(cancelReason()));
            return;
        }
        Outcome outcome;
        if (safeAbortRequested()) {
            outcome = Outcome.aborted(cancelReason());
        } else {
            try {
                events.started();
                outcome = execution.run(this);
            } catch (RuntimeException | Error e) {
                LOG.warn("job {} ({}) failed inside the local backend", template.jobId(), ref, e);
                outcome = Outcome.failed("internal error of the local backend: " + e, null);
            }
        }
        synchronized (lock) {
            runner = null;
        }
        // an abort that arrived after the work ended must not leak into the pool thread's next job
        Thread.interrupted();
        finish(outcome);
    }

    private void finish(Outcome outcome) {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        synchronized (lock) {
            state = outcome.state();
        }
        try {
            switch (outcome.state()) {
                case DONE -> events.completed();
                case FAILED -> events.failed(outcome.message(), outcome.detail());
                default -> events.aborted(outcome.message());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not report the end ({}) of job {}", outcome.state(), template.jobId(), e);
        } finally {
            onFinish.accept(this);
        }
    }

    private boolean safeAbortRequested() {
        try {
            return events.abortRequested();
        } catch (RuntimeException e) {
            LOG.debug("abortRequested() failed for job {}", template.jobId(), e);
            return false;
        }
    }

    @Override
    public String toString() {
        return "LocalJob[" + ref + " " + template.jobType() + " " + state() + "]";
    }
}
