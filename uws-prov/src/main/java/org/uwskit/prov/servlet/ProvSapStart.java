package org.uwskit.prov.servlet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import org.uwskit.Caller;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.prov.ProvenanceBuilder;
import org.uwskit.prov.ProvenanceQuery;
import org.uwskit.spi.JobLinks;

/**
 * Where a ProvSAP {@code ID} starts: its job list, the links of that job list as clients see them, the id to query
 * (the job's activity id or a result id, under those links) and the job id.
 *
 * @param list   the job list
 * @param links  its links
 * @param id     the id given to {@link ProvenanceQuery}
 * @param jobId  the starting job
 */
record ProvSapStart(JobList list, JobLinks links, String id, String jobId) {

    /**
     * Finds the start of {@code id}: a job or result URL of this server (only its path is read, so a URL seen through
     * a proxy works) under one of the UWS servlet paths, or a bare job id looked up in every job list in order.
     *
     * @param service     the job service
     * @param provenance  the documents' builder, for the ids
     * @param listPaths   the path of the UWS servlet serving each job list, by job list name
     * @param origin      the server's public root plus the context path, no trailing slash
     * @param contextPath the request's context path
     * @param caller      who asks (a bare id is found only in the caller's visible jobs)
     * @param id          the trimmed ID
     * @return the start
     * @throws ProvSapProblem 404 if {@code id} names no job list or job of this server
     */
    static ProvSapStart find(JobService service, ProvenanceBuilder provenance, Map<String, String> listPaths,
                             String origin, String contextPath, Caller caller, String id) throws ProvSapProblem {
        if (id.contains("://")) {
            return fromUrl(service, provenance, listPaths, origin, contextPath, id);
        }
        for (Map.Entry<String, String> e : listPaths.entrySet()) {
            JobList list = service.jobList(e.getKey()).orElse(null);
            if (list == null) {
                continue;
            }
            JobLinks links = JobLinks.under(origin + e.getValue() + "/" + list.name());
            if (ProvenanceQuery.JobLookup.of(service, caller, list.name()).find(id).isPresent()) {
                return new ProvSapStart(list, links, provenance.activityId(id, links), id);
            }
        }
        throw new ProvSapProblem(404, "no job " + id + " in any job list");
    }

    private static ProvSapStart fromUrl(JobService service, ProvenanceBuilder provenance, Map<String, String> listPaths,
                                        String origin, String contextPath, String id) throws ProvSapProblem {
        String path;
        try {
            path = new URI(id).getRawPath();
        } catch (URISyntaxException e) {
            throw new ProvSapProblem(404, "ID '" + id + "' is not a job or result URL of this server");
        }
        for (String servletPath : new LinkedHashSet<>(listPaths.values())) {
            String prefix = contextPath + servletPath + "/";
            if (path != null && path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                Optional<JobList> list = slash < 0 ? Optional.empty() : service.jobList(rest.substring(0, slash))
                        .filter(l -> servletPath.equals(listPaths.get(l.name())));
                if (list.isPresent()) {
                    JobLinks links = JobLinks.under(origin + servletPath + "/" + list.get().name());
                    String rebased = links.jobList() + rest.substring(slash);
                    String jobId = provenance.jobIdOf(rebased, links);
                    if (jobId != null) {
                        return new ProvSapStart(list.get(), links, rebased, jobId);
                    }
                }
            }
        }
        throw new ProvSapProblem(404, "ID '" + id + "' is not a job or result URL of this server");
    }
}
