package org.uwskit.spi;

/**
 * The absolute URLs of a job list's resources, as the HTTP layer knows them; serializers use it for
 * {@code xlink:href}. Thread-safe.
 */
public interface JobLinks {
    /** The job list URL, e.g. {@code http://host/uws/demo}. */
    String jobList();

    default String job(String jobId) {
        return jobList() + "/" + jobId;
    }

    default String result(String jobId, String resultId) {
        return job(jobId) + "/results/" + resultId;
    }

    default String parameter(String jobId, String name) {
        return job(jobId) + "/parameters/" + name;
    }

    /** Links under a fixed base URL. */
    static JobLinks under(String jobListUrl) {
        String base = jobListUrl.endsWith("/") ? jobListUrl.substring(0, jobListUrl.length() - 1) : jobListUrl;
        return () -> base;
    }
}
