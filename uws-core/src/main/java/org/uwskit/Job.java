package org.uwskit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a UWS job (UWS 1.1 §2.1.2) at one {@link #version()}.
 *
 * <p>A snapshot never changes. Changes go through {@link JobService} (client requests) or the {@link Engine} (system
 * changes), which build a new snapshot with {@link #toBuilder()}, bump the version by one and store it with a
 * compare-and-set on the old version. Collections are unmodifiable copies.
 *
 * @param jobId             unguessable, URL-safe, never reused ({@link JobIds})
 * @param jobList           the name of the job list the job belongs to
 * @param jobType           the name of the job definition the job was created for
 * @param runId             the client's run id, or null
 * @param ownerId           the owner's identifier, or null for an anonymous job
 * @param phase             the current phase
 * @param quote             the predicted completion instant, or null if unknown
 * @param creationTime      when the job was created; never changes
 * @param startTime         when it began EXECUTING, or null
 * @param endTime           when it reached COMPLETED, ERROR or ABORTED, or null
 * @param executionDuration the maximum wall-clock seconds of execution; 0 means unlimited
 * @param destruction       when the job will be destroyed (or archived), or null for never
 * @param parameters        the parameters in the order given; a multi-valued parameter appears once per value
 * @param results           the results in the order they were produced; ids are unique
 * @param error             why the job failed, or null
 * @param jobInfo           implementation-specific facts shown in {@code <uws:jobInfo>} (progress, cluster id), in
 *                          insertion order; keys are XML names
 * @param history           every phase change since creation, oldest first (the first entry has {@code from == null})
 * @param lease             the engine node's claim while the job is queued for or in execution, else null
 * @param version           incremented by one on every stored change
 */
public record Job(
        String jobId,
        String jobList,
        String jobType,
        String runId,
        String ownerId,
        Phase phase,
        Instant quote,
        Instant creationTime,
        Instant startTime,
        Instant endTime,
        long executionDuration,
        Instant destruction,
        List<Parameter> parameters,
        List<Result> results,
        ErrorSummary error,
        Map<String, String> jobInfo,
        List<PhaseChange> history,
        Lease lease,
        long version) {

    public Job {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(jobList, "jobList");
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(creationTime, "creationTime");
        if (executionDuration < 0) {
            throw new IllegalArgumentException("executionDuration must be >= 0 (0 = unlimited)");
        }
        parameters = List.copyOf(parameters == null ? List.of() : parameters);
        results = List.copyOf(results == null ? List.of() : results);
        jobInfo = jobInfo == null || jobInfo.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(jobInfo));
        history = List.copyOf(history == null ? List.of() : history);
    }

    /** The short description shown in job lists. */
    public JobRef ref() {
        return new JobRef(jobId, phase, runId, ownerId, creationTime);
    }

    /** The instant at which execution must stop, or empty when the job is not executing or has no limit. */
    public Optional<Instant> deadline() {
        if (startTime == null || executionDuration == 0 || phase != Phase.EXECUTING) {
            return Optional.empty();
        }
        return Optional.of(startTime.plusSeconds(executionDuration));
    }

    /** All values of the parameter named {@code name} (case-insensitive), in order. */
    public List<Parameter> parameters(String name) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : parameters) {
            if (p.isNamed(name)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The first value of the parameter named {@code name} (case-insensitive). */
    public Optional<Parameter> parameter(String name) {
        for (Parameter p : parameters) {
            if (p.isNamed(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The result with this id. */
    public Optional<Result> result(String id) {
        for (Result r : results) {
            if (r.id().equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder for a new job; the API fills ids and times, users rarely need this outside tests and stores. */
    public static Builder builder(String jobId, String jobList, String jobType, Instant creationTime) {
        Builder b = new Builder();
        b.jobId = jobId;
        b.jobList = jobList;
        b.jobType = jobType;
        b.creationTime = creationTime;
        b.phase = Phase.PENDING;
        return b;
    }

    /**
     * Builds a changed copy. {@link #phase(Phase, Instant, String)} checks each phase change against the one table,
     * {@link PhaseMachine}; {@link #rawPhase} and {@link #history} are the raw path for stores that read a job's
     * phase and history back as they were stored.
     */
    public static final class Builder {
        private String jobId;
        private String jobList;
        private String jobType;
        private String runId;
        private String ownerId;
        private Phase phase;
        private Instant quote;
        private Instant creationTime;
        private Instant startTime;
        private Instant endTime;
        private long executionDuration;
        private Instant destruction;
        private List<Parameter> parameters = new ArrayList<>();
        private List<Result> results = new ArrayList<>();
        private ErrorSummary error;
        private Map<String, String> jobInfo = new LinkedHashMap<>();
        private List<PhaseChange> history = new ArrayList<>();
        private Lease lease;
        private long version;

        private Builder() {
        }

        private Builder(Job j) {
            jobId = j.jobId;
            jobList = j.jobList;
            jobType = j.jobType;
            runId = j.runId;
            ownerId = j.ownerId;
            phase = j.phase;
            quote = j.quote;
            creationTime = j.creationTime;
            startTime = j.startTime;
            endTime = j.endTime;
            executionDuration = j.executionDuration;
            destruction = j.destruction;
            parameters = new ArrayList<>(j.parameters);
            results = new ArrayList<>(j.results);
            error = j.error;
            jobInfo = new LinkedHashMap<>(j.jobInfo);
            history = new ArrayList<>(j.history);
            lease = j.lease;
            version = j.version;
        }

        public Builder runId(String v) { runId = v; return this; }
        public Builder ownerId(String v) { ownerId = v; return this; }
        public Builder quote(Instant v) { quote = v; return this; }
        public Builder startTime(Instant v) { startTime = v; return this; }
        public Builder endTime(Instant v) { endTime = v; return this; }
        public Builder executionDuration(long v) { executionDuration = v; return this; }
        public Builder destruction(Instant v) { destruction = v; return this; }
        public Builder parameters(List<Parameter> v) { parameters = new ArrayList<>(v); return this; }
        public Builder results(List<Result> v) { results = new ArrayList<>(v); return this; }
        public Builder error(ErrorSummary v) { error = v; return this; }
        public Builder jobInfo(Map<String, String> v) { jobInfo = new LinkedHashMap<>(v); return this; }
        public Builder putJobInfo(String key, String value) { jobInfo.put(key, value); return this; }
        public Builder history(List<PhaseChange> v) { history = new ArrayList<>(v); return this; }
        public Builder lease(Lease v) { lease = v; return this; }
        public Builder version(long v) { version = v; return this; }

        /**
         * Sets the phase and appends the change to the history. The first entry of an empty history records the
         * initial phase (from {@code null}) when {@code to} is the builder's phase; every other change must be an
         * edge of {@link PhaseMachine}.
         *
         * @throws IllegalPhaseTransitionException if the change is not an edge of the table
         */
        public Builder phase(Phase to, Instant at, String reason) {
            Objects.requireNonNull(to, "to");
            if (!(phase == to && history.isEmpty())) {
                PhaseMachine.check(phase, to);
            }
            return rawPhase(to, at, reason);
        }

        /**
         * Sets the phase without recording history or checking the table: the raw path for stores reading rows
         * back (with {@link #history}) and for test fixtures.
         */
        public Builder rawPhase(Phase v) { phase = v; return this; }

        /**
         * Sets the phase and appends the change to the history without checking the table: the raw path for stores
         * and importers that read a recorded history back, and for test fixtures. Everything else uses
         * {@link #phase(Phase, Instant, String)}.
         */
        public Builder rawPhase(Phase to, Instant at, String reason) {
            history.add(new PhaseChange(phase == to && history.isEmpty() ? null : phase, to, at, reason));
            phase = to;
            return this;
        }

        /** Adds a result, replacing one with the same id. */
        public Builder addResult(Result r) {
            results.removeIf(x -> x.id().equals(r.id()));
            results.add(r);
            return this;
        }

        public Phase phase() {
            return phase;
        }

        public Job build() {
            return new Job(jobId, jobList, jobType, runId, ownerId, phase, quote, creationTime, startTime, endTime,
                    executionDuration, destruction, parameters, results, error, jobInfo, history, lease, version);
        }
    }
}
