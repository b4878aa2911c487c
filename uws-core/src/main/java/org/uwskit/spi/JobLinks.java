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
     * @param name  a parameter's name as the client sent it (percent-encoded here as one path segment)
     * @return the URL at which the service serves the parameter's value (an upload's bytes, or a by-value parameter
     *         that XML cannot carry)
     */
    default String parameter(String jobId, String name) {
        return job(jobId) + "/parameters/" + encodeSegment(name);
    }

    /**
     * Percent-encodes a text as one URI path segment: every byte of its UTF-8 form outside the unreserved characters
     * {@code A-Z a-z 0-9 - . _ ~} becomes {@code %XX}.
     *
     * @param segment any text
     * @return the encoded segment
     */
    static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
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
