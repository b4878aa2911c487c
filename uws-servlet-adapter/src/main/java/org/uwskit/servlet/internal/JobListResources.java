package org.uwskit.servlet.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobRef;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.spi.JobSerializer;

/**
 * The job lists: the servlet's root (the URL of each job list it serves, one a line), the lookup of a job list named
 * in a path with the caller's admission to it, and {@code GET {list}} with its {@code PHASE}, {@code AFTER} and
 * {@code LAST} filters, in the representation {@link Representations} chooses. Immutable; thread-safe.
 */
final class JobListResources {
    private final AdapterConfig c;
    private final JobService service;
    private final Representations representations;

    JobListResources(AdapterConfig c, Representations representations) {
        this.c = c;
        this.service = c.service();
        this.representations = representations;
    }

    /** {@code GET {mount}/}: the URLs of the job lists served here, one a line. */
    void root(Exchange x) throws IOException {
        StringBuilder b = new StringBuilder();
        for (JobList l : service.jobLists()) {
            if (!c.web().serves(l.name())) {
                continue;
            }
            b.append(x.servletBase).append('/').append(l.name()).append('\n');
        }
        x.text(b.toString());
    }

    /**
     * The job list {@code name} once the caller is admitted to it (its access rule and the owner's request-rate
     * quota). A body has been read already (without a container thread): refusing earlier would leave the container
     * to swallow it on one of its own threads.
     *
     * @throws HttpProblem 404 naming the job lists served when there is none of that name here
     */
    JobList admitted(Exchange x, String name) {
        JobList list = service.jobList(name).filter(l -> c.web().serves(l.name()))
                .orElseThrow(() -> new HttpProblem(404, "no job list '" + name + "'; this service offers "
                        + service.jobLists().stream().map(JobList::name).filter(c.web()::serves).toList()));
        service.admit(x.caller(), list.name());
        return list;
    }

    /** {@code GET {list}}: the jobs the caller may see, filtered by the query. */
    void list(Exchange x, JobList list) throws IOException {
        Params q = x.query();
        Set<Phase> phases = ControlValues.phases(q.all("PHASE"));
        Instant after = q.first("AFTER").map(v -> ControlValues.instant("AFTER", v)).orElse(null);
        Integer last = ControlValues.last(q.first("LAST").orElse(null));
        // ask for every owner: the service narrows the filter to what the caller may see
        JobFilter filter = new JobFilter(list.name(), null, true, phases, after, last);
        JobSerializer s = HtmlView.forList(representations.serializer(x), list);
        try (Stream<JobRef> refs = service.list(x.caller(), filter)) {
            x.startDocument();
            s.writeJobList(refs.iterator(), x.links(list), ResponseBody.of(x.resp));
        }
    }
}
