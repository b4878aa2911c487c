package org.uwskit.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.slurm.drmaa.UnreachableException;
import org.uwskit.slurm.internal.ChangedSince;
import org.uwskit.slurm.internal.RestMapping;
import org.uwskit.spi.ExecutionBackend.BackendException;

/**
 * Reaches SLURM through slurmrestd (JSON over HTTP, authenticated with a JWT): {@code POST job/submit},
 * {@code GET jobs} for the states of all jobs in one request (filtered here: slurmrestd ignores id filters),
 * {@code DELETE job/{id}}, {@code POST job/{id}} to hold or release. The API version is a setting; its JSON lives in
 * one class per version ({@link RestMapping}). Suspend and resume are not offered by v0.0.38 and are refused.
 *
 * <p><b>Incremental polls</b> (on by default, {@link Builder#updateTime}): {@link #jobInfos} asks
 * {@code GET jobs?update_time=<second of the last answered poll minus a margin>}, which slurmrestd answers with HTTP
 * 304 and no body when no job of the cluster changed since, and merges the answer into the states it last knew (a
 * job absent from such an answer is unchanged, never forgotten). It asks for every job at the first poll, after a
 * failed one, when a job asked about was not in the last answers, and at least every {@link Builder#fullEvery}
 * polls; only a full answer says that slurmctld forgot a job. Each poll stays one request.
 *
 * <p>Thread-safe. One HTTP client with keep-alive on an owned executor of daemon threads named
 * {@code uws-slurm-rest-N}, closed by {@link #close()}. The token is asked of its supplier at every request, so that
 * a token file renewed outside the service is picked up.
 */
public final class RestSession implements JobSession {
    /** The default API version (Slurm 22.05). */
    public static final String DEFAULT_VERSION = "v0.0.38";
    /** The default bound on every request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** By default polls ask {@code update_time} (and every job only when they must). */
    public static final boolean DEFAULT_UPDATE_TIME = true;
    /** By default at most this many polls in a row ask {@code update_time}, then one asks for every job. */
    public static final int DEFAULT_FULL_EVERY = 30;
    /** The default margin taken off {@code update_time}, for the difference between our clock and slurmctld's. */
    public static final Duration DEFAULT_UPDATE_MARGIN = Duration.ofSeconds(5);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final URI base;
    private final String user;
    private final Supplier<String> token;
    private final RestMapping api;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Clock clock;
    private final ChangedSince changes; // null: every poll asks for every job; guarded by itself
    private final AtomicLong fullPolls = new AtomicLong();
    private final AtomicLong changedPolls = new AtomicLong();
    private final AtomicLong unchangedPolls = new AtomicLong();
    private final AtomicLong pollBytes = new AtomicLong();

    private RestSession(Builder b) {
        String u = b.baseUrl.toString();
        this.base = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        this.user = b.user;
        this.token = b.token;
        this.api = RestMapping.forVersion(b.version);
        this.timeout = b.timeout;
        this.clock = b.clock;
        this.changes = b.updateTime ? new ChangedSince(b.fullEvery, b.updateMargin.toSeconds()) : null;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "uws-slurm-rest-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build(); // slurmrestd breaks on the HTTP/2 upgrade headers
    }

    /**
     * A session with the defaults of {@link Builder} ({@code update_time} polls on).
     *
     * @param baseUrl slurmrestd's URL, for instance {@code http://127.0.0.1:6820}
     * @param user    the SLURM user the token is for (sent as {@code X-SLURM-USER-NAME})
     * @param token   gives the JWT (sent as {@code X-SLURM-USER-TOKEN}); asked at every request
     * @param version the API version, for instance {@code v0.0.38}
     * @param timeout the bound on each request
     * @return the session
     * @throws IllegalArgumentException if the version has no mapping
     */
    public static RestSession of(URI baseUrl, String user, Supplier<String> token, String version, Duration timeout) {
        return builder(baseUrl, user, token).version(version).timeout(timeout).build();
    }

    /**
     * A builder.
     *
     * @param baseUrl slurmrestd's URL, for instance {@code http://127.0.0.1:6820}
     * @param user    the SLURM user the token is for (sent as {@code X-SLURM-USER-NAME})
     * @param token   gives the JWT (sent as {@code X-SLURM-USER-TOKEN}); asked at every request
     * @return the builder
     */
    public static Builder builder(URI baseUrl, String user, Supplier<String> token) {
        return new Builder(baseUrl, user, token);
    }

    /** Builds a {@link RestSession}; every setting has a named default. */
    public static final class Builder {
        private final URI baseUrl;
        private final String user;
        private final Supplier<String> token;
        private String version = DEFAULT_VERSION;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean updateTime = DEFAULT_UPDATE_TIME;
        private int fullEvery = DEFAULT_FULL_EVERY;
        private Duration updateMargin = DEFAULT_UPDATE_MARGIN;
        private Clock clock = Clock.systemUTC();

        private Builder(URI baseUrl, String user, Supplier<String> token) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.user = Objects.requireNonNull(user, "user");
            this.token = Objects.requireNonNull(token, "token");
        }

        /**
         * The API version (default {@value RestSession#DEFAULT_VERSION}).
         *
         * @param v for instance {@code v0.0.38}
         * @return this
         */
        public Builder version(String v) {
            version = Objects.requireNonNull(v, "version");
            return this;
        }

        /**
         * The bound on each request (default {@link RestSession#DEFAULT_TIMEOUT}).
         *
         * @param t the bound
         * @return this
         */
        public Builder timeout(Duration t) {
            timeout = Objects.requireNonNull(t, "timeout");
            return this;
        }

        /**
         * Whether polls ask {@code update_time} (default {@value RestSession#DEFAULT_UPDATE_TIME}); off, every poll
         * asks for every job slurmctld holds.
         *
         * @param on whether to
         * @return this
         */
        public Builder updateTime(boolean on) {
            updateTime = on;
            return this;
        }

        /**
         * At most this many polls in a row without asking for every job (default
         * {@value RestSession#DEFAULT_FULL_EVERY}; 1: always every job): how soon a job slurmctld forgot is noticed
         * if no answer said so.
         *
         * @param polls at least 1
         * @return this
         * @throws IllegalArgumentException if under 1
         */
        public Builder fullEvery(int polls) {
            if (polls < 1) {
                throw new IllegalArgumentException("fullEvery must be at least 1");
            }
            fullEvery = polls;
            return this;
        }

        /**
         * The margin taken off {@code update_time} (default {@link RestSession#DEFAULT_UPDATE_MARGIN}, whole
         * seconds): at least the difference between this host's clock and slurmctld's. Larger means more answers with
         * every job after each change; too small delays changes until the next full poll.
         *
         * @param margin not negative
         * @return this
         * @throws IllegalArgumentException if negative
         */
        public Builder updateMargin(Duration margin) {
            if (margin.isNegative()) {
                throw new IllegalArgumentException("the update_time margin must not be negative");
            }
            updateMargin = margin;
            return this;
        }

        /** The clock of {@code update_time} (default the system's). @param c the clock @return this */
        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** @return the session @throws IllegalArgumentException if the version has no mapping */
        public RestSession build() {
            return new RestSession(this);
        }
    }

    /**
     * What this session's polls ({@link #jobInfos}) asked and got, since it was made.
     *
     * @param full      polls that asked for every job
     * @param changed   polls that asked {@code update_time} and got jobs (HTTP 200)
     * @param unchanged polls that asked {@code update_time} and got nothing (HTTP 304)
     * @param bytes     bytes of the answers' bodies, all polls together
     */
    public record PollStats(long full, long changed, long unchanged, long bytes) {
    }

    /** @return what the polls asked and got so far */
    public PollStats pollStats() {
        return new PollStats(fullPolls.get(), changedPolls.get(), unchangedPolls.get(), pollBytes.get());
    }

    @Override
    public String name() {
        return "rest " + api.version();
    }

    /** @return the API version this session speaks */
    public String version() {
        return api.version();
    }

    /**
     * Asks slurmrestd whether it and slurmctld answer.
     *
     * @throws BackendException if not
     */
    public void ping() throws BackendException {
        call("GET", api.pingPath(), null);
    }

    @Override
    public String runJob(JobTemplate t) throws BackendException {
        JsonNode r = call("POST", api.submitPath(), api.submitBody(t));
        String id = api.submittedJobId(r);
        if (id == null || id.equals("0")) {
            throw new BackendException("SLURM refused the job: " + String.join("; ", api.errors(r)));
        }
        return id;
    }

    /**
     * One {@code GET jobs}, with {@code update_time} when the last answers allow it (see the class comment); polls are
     * serialized, so that answers are merged in the order they were asked.
     */
    @Override
    public Map<String, JobInfo> jobInfos(Collection<String> jobIds) throws BackendException {
        if (changes == null) {
            Response r = send("GET", api.jobsPath(), null, false);
            count(fullPolls, r);
            return pick(jobIds, api.jobs(r.json()));
        }
        synchronized (changes) {
            long updateTime = changes.updateTime(jobIds);
            long askedAt = clock.instant().getEpochSecond();
            try {
                if (updateTime < 0) {
                    Response r = send("GET", api.jobsPath(), null, false);
                    count(fullPolls, r);
                    return changes.full(jobIds, api.jobs(r.json()), askedAt);
                }
                Response r = send("GET", api.jobsChangedSincePath(updateTime), null, true);
                count(r.status() == 304 ? unchangedPolls : changedPolls, r);
                return changes.since(jobIds, r.status() == 304 ? Map.of() : api.jobs(r.json()), askedAt);
            } catch (BackendException | RuntimeException e) {
                changes.failed();
                throw e;
            }
        }
    }

    private void count(AtomicLong polls, Response r) {
        polls.incrementAndGet();
        pollBytes.addAndGet(r.bytes());
    }

    private static Map<String, JobInfo> pick(Collection<String> jobIds, Map<String, JobInfo> all) {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        for (String id : jobIds) {
            JobInfo i = all.get(id);
            if (i != null) {
                out.put(id, i);
            }
        }
        return out;
    }

    /** One {@code GET jobs}, its jobs matched by name here. */
    @Override
    public Map<String, List<String>> jobIdsByName(Collection<String> jobNames) throws BackendException {
        Map<String, List<String>> all = api.jobIdsByName(call("GET", api.jobsPath(), null));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String n : jobNames) {
            List<String> ids = all.get(n);
            if (ids != null) {
                out.put(n, ids);
            }
        }
        return out;
    }

    @Override
    public void terminate(String jobId) throws BackendException {
        try {
            call("DELETE", api.jobPath(jobId), null);
        } catch (BackendException e) {
            String m = String.valueOf(e.getMessage());
            if (!m.contains("[2017]") && !m.contains("already completing") && !m.contains("completed")) {
                throw e;
            }
        }
    }

    @Override
    public void hold(String jobId) throws BackendException {
        call("POST", api.jobPath(jobId), api.holdBody(true));
    }

    @Override
    public void release(String jobId) throws BackendException {
        call("POST", api.jobPath(jobId), api.holdBody(false));
    }

    @Override
    public void suspend(String jobId) throws BackendException {
        throw new BackendException("suspending a job is not offered by slurmrestd " + api.version());
    }

    @Override
    public void resume(String jobId) throws BackendException {
        throw new BackendException("resuming a job is not offered by slurmrestd " + api.version());
    }

    private record Response(int status, JsonNode json, long bytes) {
    }

    private JsonNode call(String method, String path, Object body) throws BackendException {
        return send(method, path, body, false).json();
    }

    /** One request; a 304 is an answer only when {@code notModified} says it may come. */
    private Response send(String method, String path, Object body, boolean notModified) throws BackendException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("X-SLURM-USER-NAME", user).header("X-SLURM-USER-TOKEN", token.get())
                .header("Accept", "application/json");
        try {
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? JSON.createObjectNode() : readJson(r.body());
            List<String> errors = api.errors(json);
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new BackendException("slurmrestd refused the credentials (HTTP " + r.statusCode() + ")");
            }
            if (r.statusCode() == 304 && notModified) {
                return new Response(304, json, r.body().length);
            }
            if (r.statusCode() >= 300) {
                String m = "slurmrestd answered HTTP " + r.statusCode()
                        + (errors.isEmpty() ? "" : ": " + String.join("; ", errors));
                boolean down = r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504
                        || errors.stream().anyMatch(UnreachableException::saysUnreachable);
                throw down ? new UnreachableException(m) : new BackendException(m);
            }
            return new Response(r.statusCode(), json, r.body().length);
        } catch (IOException e) {
            throw new UnreachableException("slurmrestd cannot be reached at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while calling slurmrestd", e);
        }
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode(); // not JSON (a proxy's error page): the status code tells
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "RestSession[" + base + " " + api.version() + "]";
    }
}
