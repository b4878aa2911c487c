package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.uwskit.Caller;
import org.uwskit.InvalidRequestException;
import org.uwskit.Instants;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobSerializer;

/**
 * One job's UWS resources: the job ({@code GET}, with a blocking {@code WAIT} through {@link BlockingWait};
 * {@code DELETE}; {@code POST} of {@code ACTION=DELETE}, {@code PHASE=RUN|ABORT} or, where the job list allows,
 * parameters) and its sub-resources {@code phase}, {@code executionduration}, {@code destruction} (read and
 * changed), {@code quote}, {@code owner}, {@code error}, {@code results} and one result, {@code parameters} (the
 * changes through {@link JobRequests}); any other name is a host's document ({@link DocumentResources}). Immutable
 * apart from the waits; thread-safe.
 */
final class JobResources {
    private final JobService service;
    private final RequestDecoder decoder;
    private final Representations representations;
    private final JobRequests requests;
    private final DocumentResources documents;
    private final BlockingWait waits;

    JobResources(AdapterConfig c, RequestDecoder decoder, Representations representations, JobRequests requests,
                 ErrorMapping errors) {
        this.service = c.service();
        this.decoder = decoder;
        this.representations = representations;
        this.requests = requests;
        this.documents = new DocumentResources(c.documentProviders());
        this.waits = new BlockingWait(c, new BlockingWait.Answers() {
            @Override
            public void writeJob(Exchange x, JobList list, Job job) throws IOException {
                JobResources.this.writeJob(x, list, job);
            }

            @Override
            public Job current(Exchange x, JobList list, String jobId) {
                return job(x, list, jobId);
            }

            @Override
            public void fail(HttpServletRequest req, HttpServletResponse resp, Throwable thrown) {
                errors.write(req, resp, thrown);
            }
        });
    }

    /** Ends the pending WAITs (the servlet is destroyed). */
    void close() {
        waits.close();
    }

    /** {@code GET}, {@code DELETE} or {@code POST} on the job itself. */
    void serve(Exchange x, JobList list, String jobId) throws IOException {
        switch (x.method()) {
            case "GET" -> get(x, list, jobId);
            case "DELETE" -> delete(x, list, jobId);
            default -> post(x, list, jobId);
        }
    }

    /** A request on {@code {job}/{sub}} (the method was checked against the path already). */
    void subResource(Exchange x, JobList list, String jobId, String sub) throws IOException {
        boolean get = x.method().equals("GET");
        switch (sub) {
            case "phase" -> {
                if (get) {
                    x.text(job(x, list, jobId).phase().name());
                } else {
                    Job j = phaseAction(x, list, jobId, decoder.form(x).first("PHASE").orElse(null));
                    x.seeOther(x.links(list).job(j.jobId()));
                }
            }
            case "executionduration" -> {
                if (get) {
                    x.text(Long.toString(job(x, list, jobId).executionDuration()));
                } else {
                    long s = ControlValues.executionDuration(decoder.form(x).first("EXECUTIONDURATION").orElse(null));
                    service.setExecutionDuration(x.caller(), list.name(), jobId, s);
                    x.seeOther(x.links(list).job(jobId));
                }
            }
            case "destruction" -> {
                if (get) {
                    Instant d = job(x, list, jobId).destruction();
                    x.text(d == null ? "" : Instants.format(d));
                } else {
                    Instant d = ControlValues.destruction(decoder.form(x).first("DESTRUCTION").orElse(null));
                    service.setDestruction(x.caller(), list.name(), jobId, d);
                    x.seeOther(x.links(list).job(jobId));
                }
            }
            case "quote" -> {
                Instant q = job(x, list, jobId).quote();
                x.text(q == null ? "" : Instants.format(q));
            }
            case "owner" -> {
                String o = job(x, list, jobId).ownerId();
                x.text(o == null ? "" : o);
            }
            case "error" -> {
                Job j = job(x, list, jobId);
                if (j.error() == null) {
                    throw new HttpProblem(404, "job " + jobId + " has no error (phase " + j.phase() + ")");
                }
                x.text(j.error().hasDetail() ? j.error().detail() : j.error().message());
            }
            case "results" -> {
                Job j = documents.withDocumentResults(job(x, list, jobId), list, x.links(list));
                JobSerializer s = representations.serializer(x);
                x.startDocument();
                s.writeResults(j, x.links(list), ResponseBody.of(x.resp));
            }
            case "parameters" -> {
                if (get) {
                    Job j = job(x, list, jobId);
                    JobSerializer s = representations.serializer(x);
                    x.startDocument();
                    s.writeParameters(j, x.links(list), ResponseBody.of(x.resp));
                } else {
                    requests.update(x, list, jobId);
                }
            }
            default -> documents.serve(x, list, jobId, sub, () -> job(x, list, jobId));
        }
    }

    /** {@code GET {job}/results/{id}}: a stored result's bytes (with ranges), else 303 to where it lives. */
    void result(Exchange x, JobList list, String jobId, String resultId) throws IOException {
        Job job = documents.withDocumentResults(job(x, list, jobId), list, x.links(list));
        Result r = job.result(resultId).orElseThrow(() -> new HttpProblem(404, "job " + jobId
                + " has no result '" + resultId + "'"));
        if (!r.isStored()) {
            x.seeOther(r.location().toString());
            return;
        }
        Caller caller = x.caller();
        StoredContent.serve(x, (off, len) -> service.openResult(caller, list.name(), jobId, resultId, off, len),
                r.mimeType(), resultId);
    }

    private Job job(Exchange x, JobList list, String jobId) {
        return service.get(x.caller(), list.name(), jobId);
    }

    private void get(Exchange x, JobList list, String jobId) throws IOException {
        Params q = x.query();
        Optional<String> wait = q.first("WAIT");
        if (wait.isPresent()) {
            Duration d = ControlValues.waitTime(wait.get());
            Phase expected = q.first("PHASE").map(v -> ControlValues.phase("PHASE", v)).orElse(null);
            if (d == null || !d.isZero()) {
                waits.start(x, list, jobId, d, expected);
                return;
            }
        }
        writeJob(x, list, job(x, list, jobId));
    }

    private void writeJob(Exchange x, JobList list, Job job) throws IOException {
        JobLinks links = x.links(list);
        JobSerializer s = representations.serializer(x);
        x.startDocument();
        s.writeJob(documents.withDocumentResults(job, list, links), links, ResponseBody.of(x.resp));
    }

    private void delete(Exchange x, JobList list, String jobId) {
        service.delete(x.caller(), list.name(), jobId);
        x.seeOther(x.links(list).jobList());
    }

    private void post(Exchange x, JobList list, String jobId) throws IOException {
        Params p = decoder.form(x);
        Optional<String> action = p.first("ACTION");
        if (action.isPresent()) {
            if (!ControlValues.cleaned("ACTION", action.get()).equalsIgnoreCase("DELETE")) {
                throw new InvalidRequestException("ACTION=" + ControlValues.shown(action.get())
                        + " is not supported; the only action is ACTION=DELETE");
            }
            delete(x, list, jobId);
            return;
        }
        if (p.has("PHASE")) {
            phaseAction(x, list, jobId, p.first("PHASE").get());
            x.seeOther(x.links(list).job(jobId));
            return;
        }
        if (list.policy().parametersAtJobUrl() && !p.isEmpty()) {
            service.updateParameters(x.caller(), list.name(), jobId, p.parametersExcept(JobRequests.control()));
            x.seeOther(x.links(list).job(jobId));
            return;
        }
        throw new InvalidRequestException("a POST to a job needs ACTION=DELETE or PHASE=RUN|ABORT"
                + (list.policy().parametersAtJobUrl() ? "" : "; change parameters at " + x.links(list).job(jobId)
                + "/parameters"));
    }

    private Job phaseAction(Exchange x, JobList list, String jobId, String raw) {
        return switch (ControlValues.phaseAction(raw)) {
            case RUN -> service.run(x.caller(), list.name(), jobId);
            case ABORT -> service.abort(x.caller(), list.name(), jobId);
        };
    }
}
