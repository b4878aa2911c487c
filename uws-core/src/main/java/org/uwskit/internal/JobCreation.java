package org.uwskit.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.uwskit.Caller;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.Phase;
import org.uwskit.spi.OwnerUsage;

/**
 * The creation of a job from a client's request, up to its insertion in the store: the job type the selector
 * parameter picks, the checks of the uploads' names, the parameters (limits, the job type's validation) and the
 * execution duration, the active-job limits when the request also asks to RUN, the execution duration and
 * destruction time clamped by the job list's policy, the uploads stored (each bounded, {@link Uploads}), the quote,
 * the owner's quotas. Anything refused after the first upload byte was stored removes the job's blobs again. The
 * RUN at creation and the after-commit fan-out stay with {@link DefaultJobService}. Not API. Thread-safe.
 */
final class JobCreation {
    private final JobKernel kernel;
    private final Guards guards;
    private final Uploads uploads;
    private final OwnerQuotas ownerQuotas;
    private final Quotes quotes;

    JobCreation(JobKernel kernel, Guards guards, Uploads uploads, OwnerQuotas ownerQuotas, Quotes quotes) {
        this.kernel = kernel;
        this.guards = guards;
        this.uploads = uploads;
        this.ownerQuotas = ownerQuotas;
        this.quotes = quotes;
    }

    /**
     * The parameters, each whose name is spelt exactly as declared holding the definition's own name String (the
     * same text): a stored job then keeps no copy of the name decoded from its request. The memory store keeps
     * every job on the heap, and its young collections copy each new job's objects.
     */
    private static List<Parameter> withDeclaredNames(JobDefinition definition, List<Parameter> params) {
        List<Parameter> out = new ArrayList<>(params.size());
        for (Parameter p : params) {
            ParameterDefinition d = definition.parameters().get(p.name().toUpperCase(Locale.ROOT));
            out.add(d != null && d.name().equals(p.name())
                    ? new Parameter(d.name(), p.value(), p.byReference(), p.upload()) : p);
        }
        return out;
    }

    /**
     * Checks the request, stores its uploads and inserts the new PENDING job (version 0).
     *
     * @param caller  who creates the job (its owner)
     * @param list    the job list, already checked for the caller's use
     * @param request what the client sent
     * @return the stored job
     */
    Job insert(Caller caller, JobList list, JobRequest request) {
        JobListPolicy policy = list.policy();

        String selectorValue = null;
        for (Parameter p : request.parameters()) {
            if (list.isSelector(p.name())) {
                selectorValue = p.value();
                break;
            }
        }
        JobDefinition definition = list.select(selectorValue);

        Uploads.checkUploadNames(request.uploads());
        List<Parameter> placeholder = Uploads.withUploads(request, Map.of());
        Guards.checkParameterLimits(policy, placeholder);
        definition.validate(Guards.withoutSelector(list, placeholder));

        if (request.executionDuration() != null && request.executionDuration() < 0) {
            throw new InvalidRequestException("EXECUTIONDURATION must be a non-negative number of seconds, got "
                    + request.executionDuration());
        }
        long duration = policy.clampExecutionDuration(request.executionDuration() != null
                ? request.executionDuration() : policy.defaultExecutionDuration().toSeconds());
        if (request.run()) {
            guards.checkActiveLimits(list);
        }

        String jobId = JobIds.next();
        Instant now = kernel.now();
        Instant destruction = request.destruction() != null ? request.destruction()
                : policy.defaultRetention() == null ? null : now.plus(policy.defaultRetention());
        if (destruction != null) {
            destruction = policy.clampDestruction(now, destruction).truncatedTo(ChronoUnit.MILLIS);
        }

        try {
            Map<String, Parameter.Upload> stored = new HashMap<>();
            for (JobRequest.Upload u : request.uploads()) {
                stored.put(u.name(), uploads.storeUpload(jobId, u,
                        Uploads.limitFor(definition, request.parameters(), u.name(), policy.maxUploadSize())));
            }
            Job.Builder b = Job.builder(jobId, list.name(), definition.name(), now)
                    .runId(request.runId())
                    .ownerId(caller.ownerId())
                    .executionDuration(duration)
                    .destruction(destruction)
                    .parameters(withDeclaredNames(definition,
                            request.uploads().isEmpty() ? placeholder : Uploads.withUploads(request, stored)))
                    .phase(Phase.PENDING, now, "created");
            Job draft = b.build(); // the builder again for the quote: Job copies what it is given
            Job job = b.quote(quotes.quote(draft, list, now)).build();
            ownerQuotas.checkCreate(caller, list, OwnerUsage.uploadBytesOf(job), request.run());
            kernel.store().insert(job);
            return job;
        } catch (RuntimeException e) {
            kernel.deleteBlobsQuietly(jobId);
            throw e;
        }
    }
}
