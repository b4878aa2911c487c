package org.uwskit.spi;

/**
 * The absolute URLs of a job list's resources, as the HTTP layer knows them; serializers use it for
 * {@code xlink:href}. Implementations are immutable values made per request or per job list; thread-safe. The
 * default methods append ids and names as they are, without percent-encoding.
 */
public interface JobLinks {
    /**
     * The job list URL, e.g. {@code http://host/uws/demo}, without a trailing slash.
     *
     * @return the absolute URL
     */
    String jobList();

    /**
     * @param jobId the job id
     * @return the job's URL
     */
    default String job(String jobId) {
        return jobList() + "/" + jobId;
    }

    /**
     * @param jobId    the job id
     * @param resultId a stored result's id
     * @return the URL at which the service serves the result
     */
    default String result(String jobId, String resultId) {
        return job(jobId) + "/results/" + resultId;
    }

    /**
     * @param jobId the job id
     * @param name  an uploaded parameter's name
     * @return the URL at which the service serves the upload
     */
    default String parameter(String jobId, String name) {
        return job(jobId) + "/parameters/" + name;
    }

    /**
     * Links under a fixed base URL.
     *
     * @param jobListUrl the absolute job list URL; a trailing slash is dropped
     * @return the links
     */
    static JobLinks under(String jobListUrl) {
        String base = jobListUrl.endsWith("/") ? jobListUrl.substring(0, jobListUrl.length() - 1) : jobListUrl;
        return () -> base;
    }
}
