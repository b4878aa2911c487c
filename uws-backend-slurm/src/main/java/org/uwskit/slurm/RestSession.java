package org.uwskit.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.slurm.drmaa.UnreachableException;
import org.uwskit.slurm.internal.RestMapping;
import org.uwskit.spi.ExecutionBackend.BackendException;

/**
 * Reaches SLURM through slurmrestd (JSON over HTTP, authenticated with a JWT): {@code POST job/submit},
 * {@code GET jobs} for the states of all jobs in one request (filtered here: slurmrestd ignores id filters),
 * {@code DELETE job/{id}}, {@code POST job/{id}} to hold or release. The API version is a setting; its JSON lives in
 * one class per version ({@link RestMapping}). Suspend and resume are not offered by v0.0.38 and are refused.
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final URI base;
    private final String user;
    private final Supplier<String> token;
    private final RestMapping api;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient http;

    private RestSession(URI base, String user, Supplier<String> token, String version, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.user = Objects.requireNonNull(user, "user");
        this.token = Objects.requireNonNull(token, "token");
        this.api = RestMapping.forVersion(version);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "uws-slurm-rest-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build(); // slurmrestd breaks on the HTTP/2 upgrade headers
    }

    /**
     * A session.
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
        return new RestSession(baseUrl, user, token, version, timeout);
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

    @Override
    public Map<String, JobInfo> jobInfos(Collection<String> jobIds) throws BackendException {
        Map<String, JobInfo> all = api.jobs(call("GET", api.jobsPath(), null));
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

    private JsonNode call(String method, String path, Object body) throws BackendException {
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
            if (r.statusCode() >= 300) {
                String m = "slurmrestd answered HTTP " + r.statusCode()
                        + (errors.isEmpty() ? "" : ": " + String.join("; ", errors));
                boolean down = r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504
                        || errors.stream().anyMatch(UnreachableException::saysUnreachable);
                throw down ? new UnreachableException(m) : new BackendException(m);
            }
            return json;
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
