package org.uwskit.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.uwskit.AccessDeniedException;
import org.uwskit.Caller;
import org.uwskit.InvalidStateException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRejectedException;
import org.uwskit.Parameter;
import org.uwskit.PayloadTooLargeException;
import org.uwskit.Phase;
import org.uwskit.spi.Authorizer;
import org.uwskit.spi.JobStore;

/**
 * The access and limits layer of the client role: which job list a name means, who may use it and access a job
 * (the {@link Authorizer}), the job list's limits (active jobs, parameter count and length) and the rule of a
 * parameter change. Every refusal is
 * the exception the API documents for it. Not API. Thread-safe.
 */
final class Guards {
    private static final Set<Phase> ACTIVE = EnumSet.of(Phase.QUEUED, Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED);

    private final Map<String, JobList> jobLists;
    private final Authorizer authorizer;
    private final JobStore store;

    Guards(Map<String, JobList> jobLists, Authorizer authorizer, JobStore store) {
        this.jobLists = jobLists;
        this.authorizer = authorizer;
        this.store = store;
    }

    JobList requireList(String name) {
        JobList l = name == null ? null : jobLists.get(name);
        if (l == null) {
            throw new JobNotFoundException(null, "no job list '" + name + "'");
        }
        return l;
    }

    void checkUse(Caller caller, JobList list) {
        Objects.requireNonNull(caller, "caller");
        if (!authorizer.mayUse(caller, list)) {
            boolean anonymous = caller.isAnonymous();
            throw new AccessDeniedException(anonymous
                    ? "job list " + list.name() + " requires authentication"
                    : "you may not use job list " + list.name(), anonymous);
        }
    }

    Job load(Caller caller, String jobList, String jobId) {
        JobList list = requireList(jobList);
        checkUse(caller, list);
        if (!JobIds.isWellFormed(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        Job job = store.get(jobId).filter(j -> j.jobList().equals(list.name()))
                .orElseThrow(() -> new JobNotFoundException(jobId));
        if (!authorizer.mayAccess(caller, job)) {
            boolean anonymous = caller.isAnonymous();
            throw new AccessDeniedException(anonymous
                    ? "job '" + jobId + "' requires authentication"
                    : "you may not access job '" + jobId + "'", anonymous, jobId);
        }
        return job;
    }

    static void requirePending(Job job, String what) {
        if (job.phase() != Phase.PENDING) {
            throw new InvalidStateException(what + " can only be changed while the job is PENDING; job '"
                    + job.jobId() + "' is " + job.phase());
        }
    }

    /** The job list's limit over all owners (403); the per-owner limit is a quota ({@link OwnerQuotas}, 429). */
    void checkActiveLimits(JobList list) {
        JobListPolicy p = list.policy();
        if (p.maxActiveJobs() > 0) {
            long n = store.count(new JobFilter(list.name(), null, true, ACTIVE, null, null));
            if (n >= p.maxActiveJobs()) {
                throw new JobRejectedException("job list " + list.name() + " already has " + n
                        + " active jobs, its limit; try again later");
            }
        }
    }

    static void checkParameterLimits(JobListPolicy policy, List<Parameter> params) {
        if (params.size() > policy.maxParameters()) {
            throw new PayloadTooLargeException("too many parameter values: " + params.size() + "; the limit is "
                    + policy.maxParameters());
        }
        for (Parameter p : params) {
            if (!p.byReference() && p.value().length() > policy.maxParameterLength()) {
                throw new PayloadTooLargeException("the value of parameter " + p.name() + " is "
                        + p.value().length() + " characters long; the limit is " + policy.maxParameterLength());
            }
        }
    }

    static List<Parameter> withoutSelector(JobList list, List<Parameter> params) {
        List<Parameter> out = new ArrayList<>(params.size());
        for (Parameter p : params) {
            if (!list.isSelector(p.name())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Replaces the named parameters of a PENDING job by {@code parameters} and re-validates the whole set. */
    static JobKernel.Rule parameterRule(JobList list, List<Parameter> parameters) {
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            names.add(p.name().toUpperCase(Locale.ROOT));
        }
        return cur -> {
            requirePending(cur, "parameters");
            List<Parameter> merged = new ArrayList<>();
            for (Parameter p : cur.parameters()) {
                if (!names.contains(p.name().toUpperCase(Locale.ROOT))) {
                    merged.add(p);
                }
            }
            for (Parameter p : parameters) {
                if (list.isSelector(p.name()) && !p.value().trim().equalsIgnoreCase(cur.jobType())) {
                    throw new InvalidStateException("the job type of a job cannot be changed (it is " + cur.jobType()
                            + ")");
                }
                merged.add(p);
            }
            checkParameterLimits(list.policy(), merged);
            JobDefinition def = list.definition(cur.jobType()).orElseThrow(() -> new InvalidStateException(
                    "the job type " + cur.jobType() + " is no longer offered by " + list.name()));
            def.validate(withoutSelector(list, merged));
            return cur.toBuilder().parameters(merged).build();
        };
    }
}
