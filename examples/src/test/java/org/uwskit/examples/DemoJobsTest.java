package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.InvalidRequestException;
import org.uwskit.Parameter;
import org.uwskit.Result;
import org.uwskit.TypedParameters;
import org.uwskit.local.JobContext;
import org.uwskit.prov.ElementKind;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvRecords;

class DemoJobsTest {

    @Test
    void demoDefaultsAndTapParameters() {
        TypedParameters p = DemoJobs.demoDefinition().validate(List.of(Parameter.of("LANG", "ADQL"),
                Parameter.of("query", "SELECT 1"), Parameter.of("RUNID", "r1")));
        assertThat(p.getDouble("SECONDS")).isEqualTo(1.0);
        assertThat(p.getBoolean("FAIL")).isFalse();
        assertThat(p.getString("MESSAGE")).isEqualTo("hello");
        assertThat(p.getString("QUERY")).isEqualTo("SELECT 1");
        assertThat(p.has("RUNID")).isFalse();
    }

    @Test
    void demoRejectsNegativeSecondsAndNonBooleanFail() {
        assertThatThrownBy(() -> DemoJobs.demoDefinition().validate(List.of(Parameter.of("SECONDS", "-0.5"),
                Parameter.of("FAIL", "perhaps"))))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).problems()).hasSize(2));
    }

    @Test
    void wordcountNeedsAFile() {
        assertThatThrownBy(() -> DemoJobs.wordcountDefinition().validate(List.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("FILE");
    }

    @Test
    void runDemoWritesTheMessage() throws Exception {
        FakeContext ctx = new FakeContext(Map.of("SECONDS", "0.05", "MESSAGE", "hi there"));
        DemoJobs.runDemo(ctx);
        assertThat(ctx.results.get("result").toString(StandardCharsets.UTF_8)).isEqualTo("hi there\n");
        assertThat(ctx.progress).first().isEqualTo(0.0);
        assertThat(ctx.progress).last().isEqualTo(1.0);
        assertThat(ctx.results).containsOnlyKeys(ProvRecords.RESULT_NAME, "result");
    }

    @Test
    void runDemoAddsItsOwnProvenanceRecordThatTheProvModuleReads() throws Exception {
        FakeContext ctx = new FakeContext(Map.of("SECONDS", "0", "MESSAGE", "héllo"));
        DemoJobs.runDemo(ctx);
        byte[] json = ctx.results.get(ProvRecords.RESULT_NAME).toByteArray();
        String jobNs = "https://example.org/uws/demo/";
        ProvDocument doc = ProvRecords.read(new ByteArrayInputStream(json), Map.of("job", jobNs), 1 << 16);
        ProvElement activity = doc.element(ElementKind.ACTIVITY, jobNs + "job1").orElseThrow();
        assertThat(activity.attributes()).hasSize(1);
        assertThat(activity.attributes().get(0).name()).isEqualTo(DemoJobs.PROV_NAMESPACE + "action");
        assertThat(activity.attributes().get(0).value().lexical())
                .contains("waited 0.000 s, then wrote 7 bytes of MESSAGE to the result 'result'");
    }

    @Test
    void runDemoFailsWithAMessageWhenAsked() throws Exception {
        FakeContext ctx = new FakeContext(Map.of("SECONDS", "0", "FAIL", "true"));
        assertThatThrownBy(() -> DemoJobs.runDemo(ctx)).hasMessageContaining("FAIL=true");
        assertThat(ctx.results).containsOnlyKeys(ProvRecords.RESULT_NAME);
        assertThat(ctx.results.get(ProvRecords.RESULT_NAME).toString(StandardCharsets.UTF_8))
                .contains("failed on request (FAIL=true)");
    }

    @Test
    void runDemoStopsSoonAfterCancellation() throws Exception {
        FakeContext ctx = new FakeContext(Map.of("SECONDS", "600"));
        ctx.cancelled.set(true);
        long start = System.nanoTime();
        DemoJobs.runDemo(ctx);
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
        assertThat(ctx.results).isEmpty();
    }

    /** A JobContext over the demo definition, recording results and progress. */
    private static final class FakeContext implements JobContext {
        final TypedParameters parameters;
        final Map<String, ByteArrayOutputStream> results = new LinkedHashMap<>();
        final List<Double> progress = new ArrayList<>();
        final AtomicBoolean cancelled = new AtomicBoolean();

        FakeContext(Map<String, String> given) {
            List<Parameter> ps = new ArrayList<>();
            given.forEach((k, v) -> ps.add(Parameter.of(k, v)));
            parameters = DemoJobs.demoDefinition().validate(ps);
        }

        @Override public String jobId() { return "job1"; }
        @Override public TypedParameters parameters() { return parameters; }
        @Override public OutputStream result(String id, String mimeType) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            results.put(id, out);
            return out;
        }
        @Override public void addResult(Result result) { throw new UnsupportedOperationException(); }
        @Override public InputStream upload(String name) { throw new UnsupportedOperationException(); }
        @Override public synchronized void progress(double fraction, String message) { progress.add(fraction); }
        @Override public Logger log() { return LoggerFactory.getLogger(DemoJobsTest.class); }
        @Override public boolean isCancelled() { return cancelled.get(); }
        @Override public Instant deadline() { return null; }
    }
}
