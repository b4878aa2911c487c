package org.uwskit.testkit;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * An example of a user's own {@link ExecutionBackend}: it "submits" jobs to a Java executor the way a real one would
 * submit them to a cluster, and keeps a map from its references to the work. It accepts three job types: {@code ok}
 * writes a result and completes, {@code fail} fails, {@code sleep} runs until aborted (interrupted).
 *
 * <p>What a backend must get right, and what {@link ExecutionBackendContract} checks:
 * <ul>
 *   <li>{@code submit} returns at once with a reference; the work runs elsewhere;</li>
 *   <li>it reports {@code started()} and then exactly one of completed / failed / aborted;</li>
 *   <li>{@code abort} is idempotent and ignores unknown references; {@code states} answers for many at once;</li>
 *   <li>{@code close} aborts running work and waits a bounded time.</li>
 * </ul>
 */
final class ThreadPoolBackend implements ExecutionBackend {
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "thread-pool-backend");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger seq = new AtomicInteger();
    private final Map<String, Work> work = new ConcurrentHashMap<>();

    private static final class Work {
        volatile BackendState state = BackendState.QUEUED;
        volatile Future<?> future;
        final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutionEvents events;
    }

    @Override
    public String name() {
        return "thread-pool";
    }

    @Override
    public boolean accepts(String jobType) {
        return jobType.equals("ok") || jobType.equals("fail") || jobType.equals("sleep");
    }

    @Override
    public String submit(JobTemplate template, ExecutionEvents events) throws BackendException {
        if (pool.isShutdown()) {
            throw new BackendException("the backend is closed");
        }
        String ref = "w" + seq.incrementAndGet();
        Work w = new Work();
        w.events = events;
        work.put(ref, w);
        w.future = pool.submit(() -> run(template, events, w));
        return ref;
    }

    private void run(JobTemplate template, ExecutionEvents events, Work w) {
        if (!w.claimed.compareAndSet(false, true)) {
            return; // aborted while still queued in the pool
        }
        w.state = BackendState.RUNNING;
        events.started();
        try {
            switch (template.jobType()) {
                case "ok" -> {
                    try (OutputStream out = events.openResult("greeting", "text/plain")) {
                        out.write(("hello " + template.jobId()).getBytes(StandardCharsets.UTF_8));
                    }
                    w.state = BackendState.DONE;
                    events.completed();
                }
                case "fail" -> {
                    w.state = BackendState.FAILED;
                    events.failed("the job was told to fail", null);
                }
                default -> {
                    // stands for long work; abort() and close() interrupt it
                    new java.util.concurrent.CountDownLatch(1).await();
                }
            }
        } catch (InterruptedException e) {
            w.state = BackendState.ABORTED;
            events.aborted("aborted");
        } catch (Exception e) {
            w.state = BackendState.FAILED;
            events.failed(e.toString(), null);
        }
    }

    @Override
    public void abort(String backendRef) {
        Work w = work.get(backendRef);
        if (w == null) {
            return;
        }
        if (w.claimed.compareAndSet(false, true)) {
            // not started yet: a cancelled task never runs, so report the abort here (a queued job is aborted too)
            w.state = BackendState.ABORTED;
            w.events.aborted("aborted before it started");
        } else if (w.future != null) {
            w.future.cancel(true);
        }
    }

    @Override
    public Map<String, BackendState> states(Collection<String> backendRefs) {
        Map<String, BackendState> out = new LinkedHashMap<>();
        for (String ref : backendRefs) {
            Work w = work.get(ref);
            out.put(ref, w == null ? BackendState.UNKNOWN : w.state);
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
