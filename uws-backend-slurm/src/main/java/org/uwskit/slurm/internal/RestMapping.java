package org.uwskit.slurm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobTemplate;

/**
 * The JSON of one slurmrestd API version: paths, the submit request, and reading jobs and errors. One class per
 * version ({@link RestV0038}); a newer version (v0.0.40 gives a state as a list of a base state and flags, and
 * numbers as {@code {set, infinite, number}}) is a new class registered in {@link #forVersion}.
 */
public interface RestMapping {

    /** @return the version, for instance {@code v0.0.38} */
    String version();

    /** @return the path of the submit request */
    String submitPath();

    /** @return the path of the list of all jobs slurmctld holds */
    String jobsPath();

    /**
     * @param updateTime epoch seconds
     * @return the path of the list of jobs asked only if something changed since that second ({@code update_time}):
     *         v0.0.38 answers HTTP 304 without a body if nothing did, else every job
     */
    String jobsChangedSincePath(long updateTime);

    /** @param jobId a job id @return the path of one job (GET, POST to update, DELETE to cancel) */
    String jobPath(String jobId);

    /** @return the path of the ping request */
    String pingPath();

    /** @param t the template @return the submit request's body */
    Map<String, Object> submitBody(JobTemplate t);

    /** @param hold whether to hold @return the body of an update that holds or releases a job */
    Map<String, Object> holdBody(boolean hold);

    /** @param response the submit response @return the job id, or null if the response has none */
    String submittedJobId(JsonNode response);

    /** @param response a jobs response @return every job in it, by id */
    Map<String, JobInfo> jobs(JsonNode response);

    /**
     * @param response a jobs response
     * @return the ids of its jobs (ascending) by job name
     */
    Map<String, List<String>> jobIdsByName(JsonNode response);

    /** @param response any response @return its errors, each as a few words (empty if none) */
    List<String> errors(JsonNode response);

    /**
     * The mapping of a version.
     *
     * @param version for instance {@code v0.0.38}
     * @return its mapping
     * @throws IllegalArgumentException for a version without a mapping, naming the supported ones
     */
    static RestMapping forVersion(String version) {
        if (RestV0038.VERSION.equals(version)) {
            return new RestV0038();
        }
        throw new IllegalArgumentException("slurmrestd API version '" + version + "' is not supported; supported: "
                + RestV0038.VERSION);
    }
}
