package org.uwskit.benchmarks.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How soon a blocked {@code WAIT} returns after a phase change. Each trial creates a PENDING demo job on node A
 * (POST to LIST_URL_A), parks {@code GET …?WAIT=W&PHASE=PENDING} on the same job through node B (LIST_URL_B; the
 * same server as A for the same-node figure), waits 300 ms so that the waiter is parked, then POSTs
 * {@code PHASE=RUN} to A and times the waiter's answer from the moment the POST is sent (an upper bound: the change
 * is stored during the POST). Prints {@code wakeup.median_ms}, {@code wakeup.max_ms},
 * {@code wakeup.after_ack_median_ms} (from the POST's answer instead) and {@code wakeup.trials}.
 */
final class Wakeup {
    private Wakeup() {
    }

    static void main(List<String> args) throws Exception {
        if (args.size() != 4) {
            throw new IllegalArgumentException("wakeup LIST_URL_A LIST_URL_B TRIALS WAIT_SECONDS");
        }
        URI listA = URI.create(args.get(0));
        String listB = args.get(1).replaceAll("/+$", "");
        int trials = Integer.parseInt(args.get(2));
        int waitSeconds = Integer.parseInt(args.get(3));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        double[] fromSend = new double[trials];
        double[] fromAck = new double[trials];
        for (int i = 0; i < trials; i++) {
            HttpResponse<Void> created = post(client, listA, "SECONDS=0");
            String location = created.headers().firstValue("Location")
                    .orElseThrow(() -> new IllegalStateException("HTTP " + created.statusCode() + " from POST "
                            + listA + " without Location"));
            String id = location.substring(location.lastIndexOf('/') + 1);
            URI jobA = URI.create(listA.toString().replaceAll("/+$", "") + "/" + id);
            HttpRequest wait = HttpRequest.newBuilder(URI.create(listB + "/" + id + "?WAIT=" + waitSeconds
                    + "&PHASE=PENDING")).timeout(Duration.ofSeconds(waitSeconds + 30)).GET().build();
            CompletableFuture<HttpResponse<String>> waiter = client.sendAsync(wait,
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            if (waiter.isDone()) {
                throw new IllegalStateException("the WAIT on " + wait.uri() + " returned before the phase change: "
                        + waiter.get().statusCode());
            }
            long t0 = System.nanoTime();
            HttpResponse<Void> run = post(client, URI.create(jobA + "/phase"), "PHASE=RUN");
            long t1 = System.nanoTime();
            if (run.statusCode() != 303) {
                throw new IllegalStateException("HTTP " + run.statusCode() + " from POST PHASE=RUN to " + jobA);
            }
            HttpResponse<String> woke = waiter.get(waitSeconds + 30L, TimeUnit.SECONDS);
            long t2 = System.nanoTime();
            if (woke.statusCode() != 200 || woke.body().contains(">PENDING<")) {
                throw new IllegalStateException("the WAIT on " + wait.uri() + " answered " + woke.statusCode()
                        + " with the job still PENDING");
            }
            fromSend[i] = (t2 - t0) / 1e6;
            fromAck[i] = Math.max(0, (t2 - t1) / 1e6);
        }
        System.out.printf("wakeup.median_ms=%.2f%n", HttpBench.median(fromSend.clone()));
        System.out.printf("wakeup.max_ms=%.2f%n", HttpBench.percentile(fromSend.clone(), 100));
        System.out.printf("wakeup.after_ack_median_ms=%.2f%n", HttpBench.median(fromAck.clone()));
        System.out.println("wakeup.trials=" + trials);
    }

    /** POSTs a form; a 408 (a loaded server found the tiny body too slow) is sent again, up to 5 times. */
    private static HttpResponse<Void> post(HttpClient client, URI uri, String body) throws Exception {
        HttpResponse<Void> r = null;
        for (int attempt = 0; attempt < 5 && (r == null || r.statusCode() == 408); attempt++) {
            r = client.send(form(uri, body), HttpResponse.BodyHandlers.discarding());
        }
        return r;
    }

    private static HttpRequest form(URI uri, String body) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
