package org.uwskit.local.internal;

/** The work of one job: in-JVM logic or an OS process. Internal. */
public interface Execution {

    /**
     * Runs the job on the calling (pool) thread and says how it ended. Must not report terminal events itself and
     * must not throw: every failure becomes an {@link Outcome}. Returns promptly once {@link LocalJob#isCancelled()}
     * is true and the thread was interrupted (a process tree is killed first, within the kill grace).
     */
    Outcome run(LocalJob job);
}
