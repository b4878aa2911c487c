package org.uwskit.slurm.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.uwskit.slurm.drmaa.JobInfo;

/**
 * The incremental poll of slurmrestd's {@code GET jobs}: which question a poll asks (every job slurmctld holds, or
 * only if something changed since a time, {@code update_time}) and what the answer means for the jobs asked about.
 *
 * <p>A full answer is the truth: a job asked about and absent from it was forgotten by slurmctld (the caller reads
 * the completion log). An answer to {@code update_time} is never taken as a list of every job: a job absent from it
 * is <em>unchanged</em> and keeps its last known state (slurmrestd v0.0.38 answers such a question with HTTP 304 and
 * no body when nothing changed, else with every job, as a full question; a version that lists only the changed jobs
 * is read correctly too). A full question is asked whenever this cannot be sure: at the first poll, after a failed
 * one, when a job asked about was not in the last answers (never seen, or forgotten), and every
 * {@code fullEvery}-th poll, so that a job slurmctld forgot is found even if no answer ever said so.
 *
 * <p>{@code update_time} is the second our clock read when the last answered question was sent, minus a margin:
 * slurmctld reports a change made in second {@code T} to questions with {@code update_time <= T} (measured on Slurm
 * 22.05: inclusive), and its answers carry no time of their own (no {@code Date} header, no last update in v0.0.38),
 * so the margin covers the difference between our clock and slurmctld's. A margin too small for the real difference
 * delays changes (until the next full question), never loses them.
 *
 * <p>The states known are those of the jobs ever asked about that the last full answer still listed: a job leaves
 * them when slurmctld forgets it, so they never outgrow what slurmctld holds. Callers asking about different jobs
 * (the poll, a look-up) share them.
 *
 * <p>Not thread-safe: the caller serializes {@link #updateTime}, {@link #full}, {@link #since} and {@link #failed}.
 */
public final class ChangedSince {
    private final int fullEvery;
    private final long marginSeconds;
    private final Map<String, JobInfo> known = new HashMap<>();
    private boolean sure;
    private long askedAt;
    private int sinceFull;

    /**
     * @param fullEvery     at most this many polls in a row without a full question (1: every poll is full)
     * @param marginSeconds seconds subtracted from the time of the last answered question
     * @throws IllegalArgumentException if {@code fullEvery < 1} or the margin is negative
     */
    public ChangedSince(int fullEvery, long marginSeconds) {
        if (fullEvery < 1) {
            throw new IllegalArgumentException("fullEvery must be at least 1");
        }
        if (marginSeconds < 0) {
            throw new IllegalArgumentException("the update_time margin must not be negative");
        }
        this.fullEvery = fullEvery;
        this.marginSeconds = marginSeconds;
    }

    /**
     * What to ask in this poll.
     *
     * @param ids the jobs asked about
     * @return the {@code update_time} to ask with (epoch seconds), or -1 to ask for every job
     */
    public long updateTime(Collection<String> ids) {
        if (!sure || sinceFull + 1 >= fullEvery || !known.keySet().containsAll(ids)) {
            return -1;
        }
        return Math.max(0, askedAt - marginSeconds);
    }

    /**
     * Takes a full answer.
     *
     * @param ids     the jobs asked about
     * @param all     every job of the answer, by id
     * @param askedAt the second (our clock, epoch) at which the question was sent
     * @return the jobs asked about that slurmctld holds, by id (the forgotten ones are absent: the only answer that
     *         says so)
     */
    public Map<String, JobInfo> full(Collection<String> ids, Map<String, JobInfo> all, long askedAt) {
        known.keySet().retainAll(all.keySet()); // forgotten by slurmctld
        known.replaceAll((id, i) -> all.get(id));
        Map<String, JobInfo> out = new LinkedHashMap<>();
        for (String id : ids) {
            JobInfo i = all.get(id);
            if (i != null) {
                out.put(id, i);
                known.put(id, i);
            }
        }
        this.askedAt = askedAt;
        sure = true;
        sinceFull = 0;
        return out;
    }

    /**
     * Takes an answer to {@code update_time}: the jobs in it changed, every other job asked about is unchanged.
     *
     * @param ids     the jobs asked about (all of them seen before: {@link #updateTime} asked for a full answer
     *                otherwise)
     * @param changed the jobs of the answer, by id (empty for HTTP 304)
     * @param askedAt the second (our clock, epoch) at which the question was sent
     * @return the jobs asked about: changed ones as answered, the others as last known
     */
    public Map<String, JobInfo> since(Collection<String> ids, Map<String, JobInfo> changed, long askedAt) {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        for (String id : ids) {
            JobInfo i = changed.get(id);
            if (i != null) {
                known.put(id, i);
            } else {
                i = known.get(id);
            }
            if (i != null) {
                out.put(id, i);
            }
        }
        this.askedAt = askedAt;
        sinceFull++;
        return out;
    }

    /** A question failed, or its answer was not read: the next poll asks for every job. */
    public void failed() {
        sure = false;
    }
}
