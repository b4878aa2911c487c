package org.uwskit.local.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a process and every process below it. The tree is snapshotted before the first signal (children of a shell
 * are reparented once the shell dies, so they could no longer be found through it) and re-read while waiting, so
 * that processes started during the grace period are caught too. Processes that leave the tree on purpose (double
 * fork, setsid daemons) are out of reach. Internal; stateless; blocks up to about twice the grace.
 */
public final class ProcessTree {
    private static final Duration FORCED_WAIT = Duration.ofSeconds(5);
    private static final long SLICE_MILLIS = 50;

    private ProcessTree() {
    }

    /**
     * Sends SIGTERM to {@code root} and its descendants, waits up to {@code grace} for all of them to exit, then
     * sends SIGKILL to those still alive and waits a few more seconds.
     *
     * @return true if every process of the tree is gone
     */
    public static boolean kill(ProcessHandle root, Duration grace) {
        Map<Long, ProcessHandle> known = new LinkedHashMap<>();
        collect(root, known);
        known.values().forEach(ProcessHandle::destroy);
        if (awaitExit(known, grace.toNanos(), false)) {
            return true;
        }
        for (ProcessHandle h : new ArrayList<>(known.values())) {
            collect(h, known);
        }
        alive(known).forEach(ProcessHandle::destroyForcibly);
        return awaitExit(known, FORCED_WAIT.toNanos(), true);
    }

    private static void collect(ProcessHandle root, Map<Long, ProcessHandle> known) {
        if (root.isAlive()) {
            known.putIfAbsent(root.pid(), root);
        }
        try {
            root.descendants().forEach(h -> known.putIfAbsent(h.pid(), h));
        } catch (RuntimeException e) {
            // the process vanished while its tree was read
        }
    }

    private static List<ProcessHandle> alive(Map<Long, ProcessHandle> known) {
        return known.values().stream().filter(ProcessHandle::isAlive).toList();
    }

    /** Waits until every known process exited; newly found descendants get the same signal. */
    private static boolean awaitExit(Map<Long, ProcessHandle> known, long nanos, boolean forcibly) {
        long end = System.nanoTime() + nanos;
        while (true) {
            for (ProcessHandle h : new ArrayList<>(alive(known))) {
                int before = known.size();
                collect(h, known);
                if (known.size() > before) {
                    alive(known).forEach(forcibly ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
                }
            }
            List<ProcessHandle> alive = alive(known);
            if (alive.isEmpty()) {
                return true;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            CompletableFuture<?>[] exits = alive.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(exits).get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, SLICE_MILLIS),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // re-check the tree and the deadline
            } catch (InterruptedException e) {
                // the pool is being shut down forcibly: hurry to SIGKILL, and let the caller see the interrupt
                Thread.currentThread().interrupt();
                if (!forcibly) {
                    return false;
                }
                alive.forEach(ProcessHandle::destroyForcibly);
                return alive(known).isEmpty();
            }
        }
    }
}
