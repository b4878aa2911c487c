package org.uwskit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.Phase;

/**
 * The UWS blocking {@code WAIT} of a job GET, held without a container thread: the request is suspended on
 * {@link JobService#awaitChange} and answered (by {@link Answers}) when the job changes, the wait ends, the client
 * leaves ({@link ClientGone}) or, should the service never answer, when the adapter's own {@link SafetyNet} fires.
 * Thread-safe; {@link #close()} when the servlet is destroyed.
 */
final class BlockingWait {
    private static final Logger LOG = LoggerFactory.getLogger(BlockingWait.class);

    /** How a waiter is answered: the dispatcher's own job representation and error mapping. */
    interface Answers {
        /** Writes the job document (200). */
        void writeJob(Exchange x, JobList list, Job job) throws IOException;

        /** The job as it is now (for an answer that no change triggered). */
        Job current(Exchange x, JobList list, String jobId);

        /** Writes the error answer of {@code thrown}. */
        void fail(HttpServletRequest req, HttpServletResponse resp, Throwable thrown);
    }

    private final AdapterConfig c;
    private final JobService service;
    private final Answers answers;
    private final ClientGone clientGone = ClientGone.forContainer();
    private final SafetyNet safetyNet = new SafetyNet();

    BlockingWait(AdapterConfig c, Answers answers) {
        this.c = c;
        this.service = c.service();
        this.answers = answers;
    }

    /** Ends the safety net's thread. */
    void close() {
        safetyNet.close();
    }

    /**
     * A blocking WAIT without a container thread: the request is suspended until the service's future completes
     * (phase change, timeout, deletion). The container's async timeout is a safety net; a client that closes its
     * connection is noticed by {@link ClientGone} (at once on Jetty 12) or by the container when it next touches
     * the connection, and its waiter is cancelled.
     */
    void start(Exchange x, JobList list, String jobId, Duration wait, Phase expected)
            throws IOException {
        Caller caller = x.caller();
        CompletableFuture<Job> future = service.awaitChange(caller, list.name(), jobId, wait, expected);
        if (future.isDone()) {
            answers.writeJob(x, list, join(future));
            return;
        }
        Duration cap = list.policy().maxWait();
        Duration limit = wait == null || wait.compareTo(cap) > 0 ? cap : wait;
        AsyncContext ac = x.req.startAsync(x.req, x.resp);
        // no container timeout: the safety net below is ours (see SafetyNet for why)
        ac.setTimeout(0);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<ClientGone.Watch> watch = new AtomicReference<>(ClientGone.NONE);
        SafetyNet.Deadline net = safetyNet.add(limit.plus(c.waitMargin()), () -> {
            // the service never answered (its future should have completed at the timeout): the current state
            if (finished.compareAndSet(false, true)) {
                future.cancel(false);
                answerLater(ac, x, jobId, () -> answers.writeJob(x, list, answers.current(x, list, jobId)), () -> {
                    watch.get().close();
                    ac.complete();
                });
            }
        });
        // every path that completes the request withdraws the watch first (Jetty reads the next request after)
        Runnable complete = () -> {
            net.cancel();
            watch.get().close();
            ac.complete();
        };
        ac.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                net.cancel();
                watch.get().close();
                future.cancel(false);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                if (finished.compareAndSet(false, true)) {
                    future.cancel(false);
                    try {
                        answers.writeJob(x, list, answers.current(x, list, jobId));
                    } catch (Throwable t) {
                        answers.fail(x.req, x.resp, t);
                    } finally {
                        complete.run();
                    }
                }
            }

            @Override
            public void onError(AsyncEvent event) {
                if (finished.compareAndSet(false, true)) {
                    future.cancel(false);
                    complete.run();
                }
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not re-dispatched
            }
        });
        watch.set(clientGone.watch(x.req, () -> {
            // the client closed (or pipelined another request): answer now with the current state; if it is
            // gone the write fails quietly, and either way the waiter is released at once
            if (finished.compareAndSet(false, true)) {
                future.cancel(false);
                answerLater(ac, x, jobId, () -> answers.writeJob(x, list, answers.current(x, list, jobId)), complete);
            }
        }));
        future.whenComplete((job, error) -> {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            // write on a container thread: the completing thread belongs to the service (wait timer, engine)
            answerLater(ac, x, jobId, () -> {
                if (error != null) {
                    answers.fail(x.req, x.resp, error);
                } else {
                    answers.writeJob(x, list, job);
                }
            }, complete);
        });
    }

    @FunctionalInterface
    private interface Answer {
        void write() throws IOException;
    }

    private void answerLater(AsyncContext ac, Exchange x, String jobId, Answer answer, Runnable complete) {
        try {
            ac.start(() -> {
                try {
                    answer.write();
                } catch (Throwable t) {
                    answers.fail(x.req, x.resp, t);
                } finally {
                    complete.run();
                }
            });
        } catch (IllegalStateException gone) {
            LOG.debug("WAIT on job {} ended after its request was completed", jobId);
        }
    }

    private static Job join(CompletableFuture<Job> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
