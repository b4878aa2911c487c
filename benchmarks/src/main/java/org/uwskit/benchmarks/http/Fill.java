package org.uwskit.benchmarks.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates N jobs by POSTing the form {@code SECONDS=1} (a demo job that stays PENDING) to a job list URL, with at
 * most CONCURRENCY requests in flight over HTTP/1.1 keep-alive connections. Every answer must be 303, except that a
 * 408 (the server found the 9-byte body too slow, which a loaded machine provokes now and then) is sent again, up to
 * {@value #MAX_RETRIES} times per job, and counted. Prints {@code fill.jobs}, {@code fill.seconds},
 * {@code fill.rate} and {@code fill.retried_408}.
 */
final class Fill {
    static final int MAX_RETRIES = 5;
    private Fill() {
    }

    static void main(List<String> args) throws Exception {
        if (args.size() != 3) {
            throw new IllegalArgumentException("fill URL N CONCURRENCY");
        }
        URI list = URI.create(args.get(0));
        long n = Long.parseLong(args.get(1));
        int concurrency = Integer.parseInt(args.get(2));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest post = HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("SECONDS=1")).build();
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicLong created = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        for (long i = 0; i < n && failure.get() == null; i++) {
            inFlight.acquire();
            send(client, post, 0, retried).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e.toString());
                } else if (r.statusCode() != 303) {
                    failure.compareAndSet(null, "HTTP " + r.statusCode() + " from POST " + list);
                } else {
                    created.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException(failure.get() + " after " + created.get() + " jobs");
        }
        System.out.println("fill.jobs=" + created.get());
        System.out.printf("fill.seconds=%.2f%n", seconds);
        System.out.printf("fill.rate=%.0f%n", created.get() / seconds);
        System.out.println("fill.retried_408=" + retried.get());
    }

    private static CompletableFuture<HttpResponse<Void>> send(HttpClient client, HttpRequest post, int attempt,
                                                              AtomicLong retried) {
        return client.sendAsync(post, HttpResponse.BodyHandlers.discarding()).thenCompose(r -> {
            if (r.statusCode() == 408 && attempt < MAX_RETRIES) {
                retried.incrementAndGet();
                return send(client, post, attempt + 1, retried);
            }
            return CompletableFuture.completedFuture(r);
        });
    }
}
