package org.uwskit.servlet.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.Result;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobLinks;

/**
 * The host's extra documents of a job ({@link JobDocumentProvider}s, e.g. provenance) at {@code {job}/{name}}, in the
 * media type chosen by {@code FORMAT} or {@code Accept}, and listed among the job's results when the provider asks
 * for it. Immutable; thread-safe.
 */
final class DocumentResources {
    /** The UWS sub-resources of a job, named when an unknown one is asked for. */
    static final List<String> SUB_RESOURCES = List.of("phase", "executionduration", "destruction", "error",
            "quote", "results", "parameters", "owner");

    private final List<JobDocumentProvider> providers;

    DocumentResources(List<JobDocumentProvider> providers) {
        this.providers = providers;
    }

    /** Adds the documents of providers that want to be listed as results, pointing at their own URL. */
    Job withDocumentResults(Job job, JobList list, JobLinks links) {
        List<Result> extra = new ArrayList<>();
        for (JobDocumentProvider p : providers) {
            if (job.result(p.name()).isEmpty() && p.listAsResult(job, list) && p.appliesTo(job, list)) {
                extra.add(new Result(p.name(), URI.create(links.job(job.jobId()) + "/" + p.name()),
                        p.mediaTypes().get(0), -1));
            }
        }
        if (extra.isEmpty()) {
            return job;
        }
        List<Result> all = new ArrayList<>(job.results());
        all.addAll(extra);
        return job.toBuilder().results(all).build();
    }

    /**
     * {@code GET {job}/{name}} for a name that is no UWS sub-resource: the provider's document of the job
     * ({@code current} is asked for the job only once the provider is known).
     *
     * @throws HttpProblem 404 for an unknown name, another method or a job the provider does not apply to; 406 for a
     *                     format the provider does not offer
     */
    void serve(Exchange x, JobList list, String jobId, String name, Supplier<Job> current) throws IOException {
        JobDocumentProvider provider = null;
        for (JobDocumentProvider p : providers) {
            if (p.name().equals(name)) {
                provider = p;
            }
        }
        if (provider == null || !x.method().equals("GET")) {
            throw new HttpProblem(404, "no resource '" + name + "' for a job; UWS offers " + SUB_RESOURCES
                    + (providers.isEmpty() ? "" : " and " + providers.stream().map(JobDocumentProvider::name).toList()));
        }
        Job job = current.get();
        if (!provider.appliesTo(job, list)) {
            throw new HttpProblem(404, "job " + jobId + " has no " + name + " document (phase " + job.phase() + ")");
        }
        String mediaType = mediaType(x, provider, name);
        x.resp.setStatus(200);
        x.resp.setContentType(mediaType.startsWith("text/") ? mediaType + ";charset=UTF-8" : mediaType);
        x.resp.setHeader("Cache-Control", "no-cache");
        OutputStream out = x.resp.getOutputStream();
        provider.write(job, list, x.links(list), mediaType, out);
        out.flush();
    }

    private static String mediaType(Exchange x, JobDocumentProvider provider, String name) {
        Optional<String> format = x.query().first("FORMAT");
        if (format.isEmpty()) {
            String mediaType = Negotiation.choose(x.req.getHeader("Accept"), provider.mediaTypes());
            if (mediaType == null) {
                throw new HttpProblem(406, "none of the media types accepted (" + x.req.getHeader("Accept")
                        + ") is offered for " + name + "; offered: " + provider.mediaTypes());
            }
            return mediaType;
        }
        String mediaType = null;
        for (int i = 0; i < provider.mediaTypes().size(); i++) {
            String mt = provider.mediaTypes().get(i);
            String fn = i < provider.formatNames().size() ? provider.formatNames().get(i) : mt;
            if (fn.equalsIgnoreCase(format.get().trim()) || mt.equalsIgnoreCase(format.get().trim())) {
                mediaType = mt;
            }
        }
        if (mediaType == null) {
            throw new HttpProblem(406, "FORMAT=" + ControlValues.shown(format.get()) + " is not offered for "
                    + name + "; use one of " + provider.formatNames() + " or " + provider.mediaTypes());
        }
        return mediaType;
    }
}
