package org.uwskit.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Parameter;
import org.uwskit.Result;
import org.uwskit.ResultContent;
import org.uwskit.UwsException;
import org.uwskit.memory.InMemoryResultStore;

/**
 * Runs one job of your own {@link JobLogic} through the real uwskit machinery — a {@link JobService} with an
 * in-memory store, an {@link Engine} and a {@link LocalBackend} — and returns how it ended. Meant for users' unit
 * tests:
 *
 * <pre>{@code
 * RunOutcome out = JobLogicRunner.run(definition, myLogic, Map.of("N", "10"));
 * assertThat(out.phase()).isEqualTo(Phase.COMPLETED);
 * assertThat(out.text("numbers")).startsWith("1\n");
 * }</pre>
 *
 * <p>Every run builds and closes its own service, engine and backend (no state is shared between runs, several runs
 * may go on in parallel). Parameters are validated as the HTTP layer would: bad ones throw the same
 * {@link org.uwskit.InvalidRequestException}. The runner waits at most its timeout ({@link #DEFAULT_TIMEOUT}),
 * measured on the system's monotonic clock whatever the service clock; then it aborts the job and returns an outcome
 * with {@link RunOutcome#timedOut()} set. The job's execution duration (the engine's watchdog, on the service clock)
 * is unlimited unless set.
 */
public final class JobLogicRunner {
    /** How long {@link Builder#run()} waits for the job to end by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The engine's poll and housekeeping interval in the runner. */
    static final Duration ENGINE_INTERVAL = Duration.ofMillis(20);
    private static final String JOB_LIST = "runner";

    private JobLogicRunner() {
    }

    /**
     * Runs a job with the given parameters (one value each) and default settings; blocks until it ends or the
     * default timeout elapses.
     *
     * @param definition the job type; the job list of the run offers only it
     * @param logic      the logic under test
     * @param parameters one value per parameter name
     * @return how the job ended
     * @throws org.uwskit.InvalidRequestException if the parameters do not validate against {@code definition}
     */
    public static RunOutcome run(JobDefinition definition, JobLogic logic, Map<String, String> parameters) {
        return builder(definition, logic).parameters(parameters).run();
    }

    /**
     * A runner for more settings: uploads, repeated parameters, clock, execution duration, timeout.
     *
     * @param definition the job type
     * @param logic      the logic under test
     * @return a new builder
     */
    public static Builder builder(JobDefinition definition, JobLogic logic) {
        return new Builder(definition, logic);
    }

    /** Configures and starts one run. Not thread-safe; {@link #run()} may be called more than once. */
    public static final class Builder {
        private final JobDefinition definition;
        private final JobLogic logic;
        private final List<Parameter> parameters = new ArrayList<>();
        private final Map<String, byte[]> uploads = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration executionDuration = Duration.ZERO;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(JobDefinition definition, JobLogic logic) {
            this.definition = Objects.requireNonNull(definition, "definition");
            this.logic = Objects.requireNonNull(logic, "logic");
        }

        /** Adds one parameter value (call again with the same name for several values). */
        public Builder parameter(String name, String value) {
            parameters.add(Parameter.of(name, value));
            return this;
        }

        /** Adds one value per entry. */
        public Builder parameters(Map<String, String> values) {
            values.forEach(this::parameter);
            return this;
        }

        /**
         * Adds an inline upload. Unless a parameter refers to it ({@code param:name}), it becomes the parameter
         * {@code name} with value {@code param:name}, as a multipart part of that name would.
         */
        public Builder upload(String name, byte[] content) {
            uploads.put(Objects.requireNonNull(name, "name"), content.clone());
            return this;
        }

        /** Adds an inline upload of UTF-8 text. */
        public Builder upload(String name, String text) {
            return upload(name, text.getBytes(StandardCharsets.UTF_8));
        }

        /** The service clock (a settable clock lets the test drive the execution-duration watchdog). */
        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** The job's execution duration (whole seconds, ZERO = unlimited, the default). */
        public Builder executionDuration(Duration v) {
            Objects.requireNonNull(v, "executionDuration");
            if (v.isNegative()) {
                throw new IllegalArgumentException("executionDuration must not be negative, got " + v);
            }
            executionDuration = v;
            return this;
        }

        /** How long {@link #run()} waits before it aborts the job (positive). */
        public Builder timeout(Duration v) {
            Objects.requireNonNull(v, "timeout");
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + v);
            }
            timeout = v;
            return this;
        }

        /**
         * Creates the job, runs it and waits for it to end, on the calling thread; then closes the service, engine
         * and backend it built.
         *
         * @return how the job ended
         *
         * @throws org.uwskit.InvalidRequestException   if the parameters do not validate
         * @throws org.uwskit.PayloadTooLargeException  if an upload exceeds the default limit
         * @throws IllegalStateException                if the calling thread is interrupted while waiting
         */
        public RunOutcome run() {
            JobList list = JobList.builder(JOB_LIST).definition(definition).policy(JobListPolicy.builder()
                    .allowAnonymous(true)
                    .defaultExecutionDuration(executionDuration)
                    .maxExecutionDuration(Duration.ZERO)
                    .defaultRetention(null)
                    .maxRetention(null)
                    .maxExecutingJobs(1)
                    .build()).build();
            Caller caller = Caller.system();
            JobService service = JobService.builder().clock(clock).resultStore(new InMemoryResultStore())
                    .jobList(list).build();
            try {
                LocalBackend backend = LocalBackend.builder().name(JOB_LIST).threads(1).clock(clock)
                        .logic(definition.name(), logic).build();
                Engine engine;
                try {
                    engine = Engine.builder(service).backend(backend).nodeId(JOB_LIST)
                            .pollInterval(ENGINE_INTERVAL).housekeepingInterval(ENGINE_INTERVAL).build();
                } catch (RuntimeException e) {
                    backend.close();
                    throw e;
                }
                String jobId;
                boolean timedOut;
                try {
                    engine.start();
                    JobRequest.Builder request = JobRequest.builder().parameters(parameters).run();
                    uploads.forEach((name, bytes) -> request.upload(name, name, null, new ByteArrayInputStream(bytes)));
                    jobId = service.create(caller, JOB_LIST, request.build()).jobId();
                    timedOut = !awaitEnd(service, caller, jobId);
                    if (timedOut) {
                        try {
                            service.abort(caller, JOB_LIST, jobId);
                        } catch (UwsException e) {
                            // it ended between the last look and the abort
                        }
                    }
                } finally {
                    // closing the engine stops the backend too, so that results written during an abort are in
                    engine.close();
                }
                Job job = service.get(caller, JOB_LIST, jobId);
                return new RunOutcome(job, timedOut, contents(service, caller, job));
            } finally {
                service.close();
            }
        }

        /** Waits for a finished phase; false if the timeout elapsed first. */
        private boolean awaitEnd(JobService service, Caller caller, String jobId) {
            long end = System.nanoTime() + timeout.toNanos();
            Job job = service.get(caller, JOB_LIST, jobId);
            while (!job.phase().isFinished()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    job = service.awaitChange(caller, JOB_LIST, jobId, Duration.ofNanos(left), job.phase())
                            .get(left + ENGINE_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    job = service.get(caller, JOB_LIST, jobId);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("waiting for job " + jobId + " failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for job " + jobId, e);
                }
            }
            return true;
        }

        private static Map<String, byte[]> contents(JobService service, Caller caller, Job job) {
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (Result r : job.results()) {
                if (!r.isStored()) {
                    continue;
                }
                try (ResultContent c = service.openResult(caller, JOB_LIST, job.jobId(), r.id(), 0, -1);
                     InputStream in = c.stream()) {
                    out.put(r.id(), in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read result " + r.id() + " of job " + job.jobId(), e);
                }
            }
            return out;
        }
    }
}
