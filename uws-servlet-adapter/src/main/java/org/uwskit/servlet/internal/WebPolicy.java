package org.uwskit.servlet.internal;

import java.util.Set;

/**
 * The web-facing settings of one {@code UwsServlet}: where links point, which browser origins may change state,
 * how another owner's job is answered, and which job lists this mount serves.
 *
 * @param baseUrl             where absolute links start
 * @param origins             the cross-site check of state-changing requests
 * @param hideOtherOwnersJobs answer another owner's job as an unknown id (404) instead of 403
 * @param jobLists            the names of the job lists served; empty for all of the service's
 */
public record WebPolicy(PublicBaseUrl baseUrl, OriginCheck origins, boolean hideOtherOwnersJobs, Set<String> jobLists) {
    public WebPolicy {
        jobLists = Set.copyOf(jobLists);
    }

    /** The defaults: links from the request, only same-origin browser changes, 403, every job list. */
    public static WebPolicy defaults() {
        PublicBaseUrl b = PublicBaseUrl.fromRequest();
        return new WebPolicy(b, new OriginCheck(b, Set.of()), false, Set.of());
    }

    /** Whether this mount serves the job list {@code name}. */
    public boolean serves(String name) {
        return jobLists.isEmpty() || jobLists.contains(name);
    }
}
