package org.uwskit.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A small HTTP client for the tests: never follows redirects, optional Basic credentials, bounded timeouts. */
final class Http {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern PHASE = Pattern.compile("<uws:phase>([A-Z]+)</uws:phase>");

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT).build();
    private final String authorization;

    Http() {
        this(null, null);
    }

    Http(String user, String password) {
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return send(request(uri).GET());
    }

    /** A GET with an {@code Accept} header. */
    HttpResponse<String> get(URI uri, String accept) throws IOException, InterruptedException {
        return send(request(uri).header("Accept", accept).GET());
    }

    HttpResponse<String> delete(URI uri) throws IOException, InterruptedException {
        return send(request(uri).DELETE());
    }

    HttpResponse<String> postForm(URI uri, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A multipart/form-data POST: form fields, then one file part per entry of {@code files} (name → content). */
    HttpResponse<String> postMultipart(URI uri, Map<String, String> form, Map<String, byte[]> files)
            throws IOException, InterruptedException {
        String boundary = "uwskit-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : form.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey()
                    + "\"\r\n\r\n" + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey()
                    + "\"; filename=\"" + e.getKey() + ".txt\"\r\nContent-Type: text/plain\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(e.getValue());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(uri).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** Creates a job by POSTing to a job list; returns the job URL from the 303's Location. */
    URI createJob(URI jobList, Map<String, String> form) throws IOException, InterruptedException {
        HttpResponse<String> r = postForm(jobList, form);
        return jobUrl(r);
    }

    static URI jobUrl(HttpResponse<String> r) {
        if (r.statusCode() != 303) {
            throw new AssertionError("job creation answered " + r.statusCode() + " instead of 303: " + r.body());
        }
        String location = r.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("job creation's 303 has no Location"));
        return r.uri().resolve(location);
    }

    /** The phase in a job document. */
    static String phase(String jobXml) {
        Matcher m = PHASE.matcher(jobXml);
        if (!m.find()) {
            throw new AssertionError("no <uws:phase> in " + jobXml);
        }
        return m.group(1);
    }

    /**
     * Polls the job document (with a short blocking WAIT) until its phase satisfies {@code done}.
     *
     * @return the last job document
     * @throws AssertionError if that does not happen within {@code timeout}
     */
    String awaitPhase(URI job, Predicate<String> done, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = get(URI.create(job + "?WAIT=1"));
            if (r.statusCode() != 200) {
                throw new AssertionError("GET " + job + " answered " + r.statusCode() + ": " + r.body());
            }
            last = r.body();
            if (done.test(phase(last))) {
                return last;
            }
        }
        throw new AssertionError("job " + job + " did not reach the wanted phase within " + timeout + "; last: " + last);
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
