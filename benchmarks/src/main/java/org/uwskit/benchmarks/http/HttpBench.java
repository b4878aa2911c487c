package org.uwskit.benchmarks.http;

import java.util.Arrays;
import java.util.List;

/**
 * The Java clients of the HTTP benchmark ({@code benchmarks/http/run.sh}), one per sub-command. Each prints its
 * figures as {@code key=value} lines on standard output, for the script to collect; exit code 1 with a message on
 * failure.
 *
 * <pre>
 * java -cp benchmarks.jar org.uwskit.benchmarks.http.HttpBench fill URL N CONCURRENCY
 * java -cp benchmarks.jar org.uwskit.benchmarks.http.HttpBench time URL ACCEPT WARMUPS RUNS
 * java -cp benchmarks.jar org.uwskit.benchmarks.http.HttpBench waiters JOB_URL N SECONDS
 * java -cp benchmarks.jar org.uwskit.benchmarks.http.HttpBench wakeup LIST_URL_A LIST_URL_B TRIALS WAIT_SECONDS
 * java -cp benchmarks.jar org.uwskit.benchmarks.http.HttpBench storefill JDBC_URL SCHEMA TEMPLATE_JOB_ID N
 * </pre>
 */
public final class HttpBench {
    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "fill" -> Fill.main(rest);
                case "time" -> ListTimer.main(rest);
                case "waiters" -> Waiters.main(rest);
                case "wakeup" -> Wakeup.main(rest);
                case "storefill" -> StoreFill.main(rest);
                default -> usage();
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("HttpBench " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    private static void usage() {
        System.err.println("usage: HttpBench fill URL N CONCURRENCY | time URL ACCEPT WARMUPS RUNS"
                + " | waiters JOB_URL N SECONDS | wakeup LIST_URL_A LIST_URL_B TRIALS WAIT_SECONDS");
        System.exit(2);
    }

    /** The median of {@code values} (sorted in place). */
    static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** The p-th percentile (0..100, nearest rank) of {@code values} (sorted in place). */
    static double percentile(double[] values, double p) {
        Arrays.sort(values);
        int rank = (int) Math.ceil(p / 100 * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }
}
