package org.uwskit.jdbc;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * A trivial in-JVM backend for the store's cluster, outage and crash tests: each job reports started, is recorded
 * with {@link Recorder#executed} (only after EXECUTING was stored, so a recorded job is one that really ran), waits
 * its {@code ms} parameter (0 by default) unless aborted, and completes. Owned, named, bounded thread pool.
 */
final class CountingBackend implements ExecutionBackend {
    /** Where executions are counted (a map, a side table). */
    interface Recorder {
        void executed(String jobId, String node);
    }

    private final String node;
    private final Recorder recorder;
    private final ExecutorService pool;
    private final Map<String, CountDownLatch> aborts = new ConcurrentHashMap<>();
    private final Map<String, BackendState> states = new ConcurrentHashMap<>();

    CountingBackend(String node, int threads, Recorder recorder) {
        this.node = node;
        this.recorder = recorder;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "counting-" + node + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A recorder counting in memory per job id. */
    static final class CountingMap implements Recorder {
        final Map<String, AtomicInteger> perJob = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();

        @Override
        public void executed(String jobId, String node) {
            perJob.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
            perNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public boolean accepts(String jobType) {
        return true;
    }

    @Override
    public String submit(JobTemplate template, ExecutionEvents events) {
        String ref = node + ":" + template.jobId();
        CountDownLatch abort = new CountDownLatch(1);
        aborts.put(ref, abort);
        states.put(ref, BackendState.QUEUED);
        long ms = template.rawParameters().stream().filter(p -> p.isNamed("ms")).findFirst()
                .map(p -> Long.parseLong(p.value())).orElse(0L);
        pool.execute(() -> {
            try {
                if (events.abortRequested() || abort.getCount() == 0) {
                    events.aborted("aborted before start");
                    return;
                }
                states.put(ref, BackendState.RUNNING);
                events.started();
                recorder.executed(template.jobId(), node);
                if (ms > 0 && abort.await(ms, TimeUnit.MILLISECONDS)) {
                    events.aborted("aborted");
                    states.put(ref, BackendState.ABORTED);
                    return;
                }
                events.completed();
                states.put(ref, BackendState.DONE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                events.aborted("backend closed");
            } finally {
                aborts.remove(ref);
            }
        });
        return ref;
    }

    /** How many jobs are running now (started, not yet ended). */
    int running() {
        return (int) states.values().stream().filter(s -> s == BackendState.RUNNING).count();
    }

    @Override
    public void abort(String backendRef) {
        CountDownLatch l = aborts.get(backendRef);
        if (l != null) {
            l.countDown();
        }
    }

    @Override
    public Map<String, BackendState> states(Collection<String> backendRefs) {
        Map<String, BackendState> out = new HashMap<>();
        for (String r : backendRefs) {
            out.put(r, states.getOrDefault(r, BackendState.UNKNOWN));
        }
        return out;
    }

    @Override
    public void close() {
        aborts.values().forEach(CountDownLatch::countDown);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
