package org.uwskit.local;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.Phase;
import org.uwskit.Result;

/**
 * How a job run by {@link JobLogicRunner} ended: its final snapshot and the bytes of its stored results, read before
 * the runner released its service. Immutable.
 *
 * @param job      the job's last snapshot (phase, times, parameters, results, error, jobInfo, history)
 * @param timedOut whether the runner's timeout elapsed and it aborted the job
 * @param contents the bytes of every result kept in result storage, by result id
 */
public record RunOutcome(Job job, boolean timedOut, Map<String, byte[]> contents) {

    /** Copies {@code contents} (each array too), so the outcome stays immutable. */
    public RunOutcome {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        contents.forEach((k, v) -> copy.put(k, v.clone()));
        contents = Collections.unmodifiableMap(copy);
    }

    /** @return the final phase: COMPLETED, ERROR or ABORTED */
    public Phase phase() {
        return job.phase();
    }

    /** @return the error summary of a job in ERROR, else empty */
    public Optional<ErrorSummary> error() {
        return Optional.ofNullable(job.error());
    }

    /** @return the results in the order they were produced */
    public List<Result> results() {
        return job.results();
    }

    /** @return the job's jobInfo (progress, process id, …) */
    public Map<String, String> jobInfo() {
        return job.jobInfo();
    }

    /**
     * The bytes of a stored result.
     *
     * @param resultId the result id
     * @return a copy of the bytes
     * @throws IllegalArgumentException if the job has no stored result of that id
     */
    public byte[] bytes(String resultId) {
        byte[] b = contents.get(resultId);
        if (b == null) {
            throw new IllegalArgumentException("no stored result '" + resultId + "'; the job has "
                    + contents.keySet());
        }
        return b.clone();
    }

    /**
     * A stored result decoded as UTF-8.
     *
     * @param resultId the result id
     * @return the text
     * @throws IllegalArgumentException if the job has no stored result of that id
     */
    public String text(String resultId) {
        return new String(bytes(resultId), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RunOutcome[" + job.phase() + (timedOut ? " (timed out)" : "") + ", results " + contents.keySet()
                + (job.error() != null ? ", error " + job.error().message() : "") + "]";
    }
}
