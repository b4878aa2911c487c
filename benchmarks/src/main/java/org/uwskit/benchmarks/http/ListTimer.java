package org.uwskit.benchmarks.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Times GETs of one URL (a job list) with one keep-alive connection, one request after the other: WARMUPS untimed,
 * then RUNS timed from sending the request to the last byte of the body. Prints {@code time.median_ms},
 * {@code time.min_ms}, {@code time.p90_ms}, {@code time.bytes} (of the last answer); every answer must be 200.
 */
final class ListTimer {
    private ListTimer() {
    }

    static void main(List<String> args) throws Exception {
        if (args.size() != 4) {
            throw new IllegalArgumentException("time URL ACCEPT WARMUPS RUNS");
        }
        URI uri = URI.create(args.get(0));
        String accept = args.get(1);
        int warmups = Integer.parseInt(args.get(2));
        int runs = Integer.parseInt(args.get(3));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).header("Accept", accept)
                .GET().build();
        long bytes = 0;
        for (int i = 0; i < warmups; i++) {
            bytes = fetch(client, get);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            bytes = fetch(client, get);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("time.median_ms=%.2f%n", HttpBench.median(ms.clone()));
        System.out.printf("time.min_ms=%.2f%n", HttpBench.percentile(ms.clone(), 0));
        System.out.printf("time.p90_ms=%.2f%n", HttpBench.percentile(ms.clone(), 90));
        System.out.println("time.bytes=" + bytes);
    }

    private static long fetch(HttpClient client, HttpRequest get) throws Exception {
        HttpResponse<byte[]> r = client.send(get, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " from GET " + get.uri());
        }
        return r.body().length;
    }
}
