package org.uwskit.servlet.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Caller;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

/**
 * What a client sends to make a job or change its parameters: {@code POST} on a job list (a form or a multipart body
 * with uploads, control parameters among the job's own), {@code POST {job}/parameters}, {@code PUT
 * {job}/parameters/{name}}, and {@code GET {job}/parameters/{name}} (a value as text, or an upload's stored bytes).
 * The control parameters that have resources of their own are refused as parameters, saying where they go. Every
 * upload stream is closed whatever happens. Stateless; thread-safe.
 */
final class JobRequests {
    private static final Logger LOG = LoggerFactory.getLogger(JobRequests.class);
    private static final Set<String> CONTROL = Set.copyOf(JobDefinition.CONTROL_PARAMETERS);
    /**
     * The control parameters that {@code /parameters} refuses: they have resources of their own (RUNID is kept as a
     * parameter, as taplint expects it to be reflected there).
     */
    private static final List<String> NOT_PARAMETERS = List.of("PHASE", "ACTION", "WAIT", "EXECUTIONDURATION",
            "DESTRUCTION");

    private final JobService service;
    private final RequestDecoder decoder;

    JobRequests(JobService service, RequestDecoder decoder) {
        this.service = service;
        this.decoder = decoder;
    }

    /** The control parameters (PHASE, RUNID, ...) that are not passed on as a job's own parameters. */
    static Set<String> control() {
        return CONTROL;
    }

    /** {@code POST {list}}: creates a job (and runs it with {@code PHASE=RUN}) → 303 to the job. */
    void create(Exchange x, JobList list) throws IOException {
        List<JobRequest.Upload> uploads = new ArrayList<>();
        Job job;
        try {
            Params p = RequestDecoder.isMultipart(x.req) ? decoder.multipart(x, uploads) : decoder.form(x);
            boolean run = false;
            for (String ph : p.all("PHASE")) {
                if (!ControlValues.cleaned("PHASE", ph).equalsIgnoreCase("RUN")) {
                    throw new InvalidRequestException("PHASE=" + ControlValues.shown(ph)
                            + " is not allowed when creating a job: only PHASE=RUN");
                }
                run = true;
            }
            JobRequest.Builder r = JobRequest.builder()
                    .parameters(withoutBlankFields(list, p, p.parametersExcept(CONTROL)))
                    .runId(p.first("RUNID").orElse(null))
                    .run(run);
            Optional<String> duration = p.first("EXECUTIONDURATION");
            if (duration.isPresent()) {
                r.executionDuration(ControlValues.executionDuration(duration.get()));
            }
            Optional<String> destruction = p.first("DESTRUCTION");
            if (destruction.isPresent()) {
                r.destruction(ControlValues.destruction(destruction.get()));
            }
            uploads.forEach(r::upload);
            job = service.create(x.caller(), list.name(), r.build());
        } finally {
            closeAll(uploads);
        }
        x.seeOther(x.links(list).job(job.jobId()));
    }

    /**
     * The parameters without the blank values of declared parameters that are not STRINGs: what a browser sends for
     * a field of the HTML creation form left empty (a number, a select's "(none)"), which therefore means "not
     * given" (the default applies, or a missing required parameter is reported) rather than an invalid value.
     */
    private static List<Parameter> withoutBlankFields(JobList list, Params p, List<Parameter> params) {
        JobDefinition def;
        try {
            def = list.select(list.definitions().size() == 1 ? null : p.first(list.selector()).orElse(null));
        } catch (InvalidRequestException e) {
            return params; // the service reports the missing or unknown job type
        }
        List<Parameter> out = new ArrayList<>(params.size());
        for (Parameter q : params) {
            ParameterDefinition d = declared(def, q.name());
            if (d == null || d.type() == ParameterType.STRING || !q.value().isBlank()) {
                out.add(q);
            }
        }
        return out;
    }

    private static ParameterDefinition declared(JobDefinition def, String name) {
        for (ParameterDefinition d : def.parameters().values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * {@code POST {job}/parameters} (urlencoded, or multipart with inline uploads as pyvo sends them:
     * {@code UPLOAD=t,param:t} plus a part {@code t}) → 303 to the job.
     */
    void update(Exchange x, JobList list, String jobId) throws IOException {
        List<JobRequest.Upload> uploads = new ArrayList<>();
        try {
            Params p = RequestDecoder.isMultipart(x.req) ? decoder.multipart(x, uploads) : decoder.form(x);
            if (p.isEmpty() && uploads.isEmpty()) {
                throw new InvalidRequestException("no parameters given: send name=value pairs or multipart uploads");
            }
            for (String name : NOT_PARAMETERS) {
                if (p.has(name)) {
                    throw notAParameter(x, list, jobId, name);
                }
            }
            service.updateParameters(x.caller(), list.name(), jobId, p.parametersExcept(Set.of()), uploads);
        } finally {
            closeAll(uploads);
        }
        x.seeOther(x.links(list).job(jobId));
    }

    /** {@code PUT {job}/parameters/{name}}: the body is the raw value → 303 to the job. */
    void put(Exchange x, JobList list, String jobId, String name) throws IOException {
        for (String control : NOT_PARAMETERS) {
            if (control.equalsIgnoreCase(name)) {
                throw notAParameter(x, list, jobId, name);
            }
        }
        String value = decoder.value(x.req, x.body);
        service.updateParameters(x.caller(), list.name(), jobId, List.of(Parameter.of(name, value)));
        x.seeOther(x.links(list).job(jobId));
    }

    /** {@code GET {job}/parameters/{name}}: an upload's bytes (with ranges), else the values as text, one a line. */
    void get(Exchange x, JobList list, String jobId, String name) throws IOException {
        Job job = service.get(x.caller(), list.name(), jobId);
        List<Parameter> values = job.parameters(name);
        if (values.isEmpty()) {
            throw new HttpProblem(404, "job " + jobId + " has no parameter '" + name + "'");
        }
        for (Parameter p : values) {
            if (p.upload() != null) {
                String part = p.value().startsWith("param:") ? p.value().substring(6) : p.name();
                Caller caller = x.caller();
                StoredContent.serve(x, (off, len) -> service.openUpload(caller, list.name(), jobId, part, off, len),
                        p.upload().mimeType(), p.upload().fileName() != null ? p.upload().fileName() : part);
                return;
            }
        }
        StringBuilder b = new StringBuilder();
        for (Parameter p : values) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(p.value());
        }
        x.text(b.toString());
    }

    private static InvalidRequestException notAParameter(Exchange x, JobList list, String jobId, String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String where = switch (upper) {
            case "PHASE" -> "POST it to " + x.links(list).job(jobId) + "/phase";
            case "EXECUTIONDURATION", "DESTRUCTION" -> "POST it to " + x.links(list).job(jobId) + "/"
                    + upper.toLowerCase(Locale.ROOT);
            case "ACTION" -> "POST ACTION=DELETE to " + x.links(list).job(jobId);
            default -> "use it as a query parameter of GET " + x.links(list).job(jobId);
        };
        return new InvalidRequestException(upper + " is a UWS control parameter, not a job parameter: " + where);
    }

    private static void closeAll(List<JobRequest.Upload> uploads) {
        for (JobRequest.Upload u : uploads) {
            try {
                u.content().close();
            } catch (IOException e) {
                LOG.debug("closing an upload stream failed: {}", e.toString());
            }
        }
    }
}
