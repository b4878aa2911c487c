package org.uwskit.examples;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.Quotas;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.local.JobContext;
import org.uwskit.prov.ProvIds;
import org.uwskit.prov.ProvRecords;

/**
 * The example server's job types and job lists: {@code demo} (waits SECONDS, writes MESSAGE, fails on request) and
 * {@code wordcount} (runs {@code /usr/bin/wc} on an uploaded FILE). Stateless; every method is thread-safe.
 */
public final class DemoJobs {
    /** The job type (and job list) name of the demo job. */
    public static final String DEMO = "demo";
    /** The job type (and job list) name of the word count job. */
    public static final String WORDCOUNT = "wordcount";
    /** The name of the demo job list under the TAP-like path {@code /tap/async}. */
    public static final String TAP_ASYNC = "async";
    /** The id of the demo job's single result (pyvo looks for "result"). */
    public static final String RESULT_ID = "result";
    /** The cap on a blocking WAIT of every example job list. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);
    /**
     * Jobs of one job list a server executes at once (the rest wait QUEUED). Fixed rather than the core's
     * CPU-based default so that the backend always has a free thread for a claimed job: a job claimed by a node
     * that then crashes ends in ERROR only if it had started, never while it waited in the backend's queue.
     */
    public static final int MAX_EXECUTING_JOBS = 2;
    /** The namespace of the demo job's own provenance attributes (prefix {@value #PROV_PREFIX}). */
    public static final String PROV_NAMESPACE = "https://uwskit.org/ns/examples/demo#";
    /** The prefix of {@link #PROV_NAMESPACE} in the records the demo job writes. */
    public static final String PROV_PREFIX = "demo";
    /** The program the wordcount job runs. */
    public static final String WC = "/usr/bin/wc";
    /** How often a running demo job looks whether it was aborted. */
    static final Duration STEP = Duration.ofMillis(50);

    private DemoJobs() {
    }

    /** The demo job type; lenient, so TAP clients' LANG, QUERY, RUNID, REQUEST are kept as parameters. */
    public static JobDefinition demoDefinition() {
        return JobDefinition.builder(DEMO)
                .description("Waits SECONDS, then writes MESSAGE to the result 'result'; ends in ERROR if FAIL")
                .parameter(ParameterDefinition.builder("SECONDS", ParameterType.REAL).min(0).defaultValue("1")
                        .unit("s").description("how long the job runs"))
                .parameter(ParameterDefinition.builder("FAIL", ParameterType.BOOLEAN).defaultValue("false")
                        .description("end in ERROR instead of COMPLETED"))
                .parameter(ParameterDefinition.builder("MESSAGE", ParameterType.STRING).defaultValue("hello")
                        .description("the text written to the result"))
                .build();
    }

    /** The wordcount job type: one required uploaded FILE. */
    public static JobDefinition wordcountDefinition() {
        return JobDefinition.builder(WORDCOUNT)
                .description("Counts lines, words and bytes of the uploaded FILE with " + WC)
                .parameter(ParameterDefinition.builder("FILE", ParameterType.FILE).required()
                        .description("the file to count (an inline upload or a URL)"))
                .build();
    }

    /** The policy of every example job list, with the default quotas. */
    public static JobListPolicy policy(boolean allowAnonymous) {
        return policy(allowAnonymous, Quotas.defaults());
    }

    /** The policy of every example job list. */
    public static JobListPolicy policy(boolean allowAnonymous, Quotas quotas) {
        return JobListPolicy.builder().allowAnonymous(allowAnonymous).maxWait(MAX_WAIT)
                .maxExecutingJobs(MAX_EXECUTING_JOBS).quotas(quotas).build();
    }

    /** A job list offering the demo job type, with the default quotas. */
    public static JobList demoList(String name, boolean allowAnonymous) {
        return demoList(name, allowAnonymous, Quotas.defaults());
    }

    /** A job list offering the demo job type. */
    public static JobList demoList(String name, boolean allowAnonymous, Quotas quotas) {
        return JobList.builder(name).description("demo jobs: wait SECONDS, write MESSAGE")
                .definition(demoDefinition()).policy(policy(allowAnonymous, quotas)).build();
    }

    /** The wordcount job list, with the default quotas. */
    public static JobList wordcountList(boolean allowAnonymous) {
        return wordcountList(allowAnonymous, Quotas.defaults());
    }

    /** The wordcount job list. */
    public static JobList wordcountList(boolean allowAnonymous, Quotas quotas) {
        return JobList.builder(WORDCOUNT).description("word counts of uploaded files")
                .definition(wordcountDefinition()).policy(policy(allowAnonymous, quotas)).build();
    }

    /**
     * Runs a demo job on the backend's thread: waits SECONDS in small steps (returning early when aborted), reports
     * progress, then fails if FAIL or writes MESSAGE to the result {@value #RESULT_ID}. Before it ends (also when it
     * fails on request) it adds its own provenance record: the result {@value ProvRecords#RESULT_NAME} gives the
     * job's activity the attribute {@code demo:action} saying what it did ({@link #action}), which the provenance
     * document of the finished job merges in.
     *
     * @throws IllegalStateException with the message the client sees when FAIL is true
     */
    public static void runDemo(JobContext ctx) throws Exception {
        double seconds = ctx.parameters().getDouble("SECONDS");
        boolean fail = ctx.parameters().getBoolean("FAIL");
        String message = ctx.parameters().getString("MESSAGE");
        long total = Math.round(seconds * 1e9);
        long start = System.nanoTime();
        ctx.progress(0, "started");
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (ctx.isCancelled()) {
                return;
            }
            if (elapsed >= total) {
                break;
            }
            ctx.progress((double) elapsed / total, "running");
            // a demo job that stands for real work: it sleeps, in steps short enough to notice an abort quickly
            Thread.sleep(Math.max(1, Math.min(STEP.toMillis(), (total - elapsed) / 1_000_000)));
        }
        byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
        writeProvenanceRecords(ctx, action(seconds, fail, text.length));
        if (fail) {
            throw new IllegalStateException("the demo job failed because FAIL=true (MESSAGE was '" + message + "')");
        }
        try (OutputStream out = ctx.result(RESULT_ID, "text/plain")) {
            out.write(text);
        }
        ctx.progress(1, "done");
    }

    /** What a demo job says it did, in its provenance record. */
    public static String action(double seconds, boolean fail, int messageBytes) {
        String waited = "waited " + String.format(Locale.ROOT, "%.3f", seconds) + " s";
        return fail ? waited + ", then failed on request (FAIL=true)"
                : waited + ", then wrote " + messageBytes + " bytes of MESSAGE to the result '" + RESULT_ID + "'";
    }

    /**
     * The PROV-JSON records of a demo job: its activity ({@code job:<id>}, bound by the provenance module to the
     * job's own activity) gets {@code demo:action}.
     */
    static String provenanceRecords(String jobId, String action) {
        // jobId and action are ASCII without quotes or backslashes (job ids are base32, action is built above)
        return "{\"prefix\": {\"" + PROV_PREFIX + "\": \"" + PROV_NAMESPACE + "\"},\n"
                + " \"activity\": {\"job:" + ProvIds.encodeLocal(jobId) + "\": {\"" + PROV_PREFIX + ":action\": \""
                + action + "\"}}}\n";
    }

    private static void writeProvenanceRecords(JobContext ctx, String action) throws java.io.IOException {
        try (OutputStream out = ctx.result(ProvRecords.RESULT_NAME, "application/json")) {
            out.write(provenanceRecords(ctx.jobId(), action).getBytes(StandardCharsets.UTF_8));
        }
    }
}
