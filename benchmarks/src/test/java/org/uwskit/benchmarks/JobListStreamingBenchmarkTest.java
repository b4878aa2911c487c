package org.uwskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.uwskit.json.UwsJson;
import org.uwskit.xml.UwsXml;
import org.w3c.dom.Document;

/** Runs each job-list benchmark body once on 1,000 refs and checks that the baselines write the same documents. */
class JobListStreamingBenchmarkTest {
    private static final int N = 1000;

    private final JobListStreamingBenchmark bench = new JobListStreamingBenchmark();

    JobListStreamingBenchmarkTest() {
        bench.refs = N;
    }

    @Test
    void xmlBaselineWritesTheSameBytesAsUwsXml() throws Exception {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        UwsXml.create().writeJobList(Fixtures.lazyRefs(N), Fixtures.LINKS, ours);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        bench.writeRawStax(Fixtures.lazyRefs(N), raw);

        assertThat(raw.toString(StandardCharsets.UTF_8)).isEqualTo(ours.toString(StandardCharsets.UTF_8));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(ours.toByteArray()));
        assertThat(doc.getElementsByTagNameNS(UwsXml.UWS_NS, "jobref").getLength()).isEqualTo(N);
        assertThat(doc.getElementsByTagNameNS(UwsXml.UWS_NS, "runId").getLength()).isEqualTo((N + 2) / 3);
        assertThat(bench.uwsXml()).isEqualTo(ours.size());
        assertThat(bench.baselineRawStax()).isEqualTo(ours.size());
    }

    @Test
    void jsonBaselineWritesTheSameBytesAsUwsJson() throws Exception {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        UwsJson.create().writeJobList(Fixtures.lazyRefs(N), Fixtures.LINKS, ours);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        bench.writeRawJackson(Fixtures.lazyRefs(N), raw);

        assertThat(raw.toString(StandardCharsets.UTF_8)).isEqualTo(ours.toString(StandardCharsets.UTF_8));
        JsonNode jobs = new ObjectMapper().readTree(ours.toByteArray()).get("jobs");
        assertThat(jobs.size()).isEqualTo(N);
        assertThat(jobs.get(N - 1).get("jobId").asText()).isEqualTo(Fixtures.jobId(N - 1));
        assertThat(jobs.get(N - 1).get("href").asText()).isEqualTo(Fixtures.JOB_LIST_URL + "/" + Fixtures.jobId(N - 1));
        assertThat(bench.uwsJson()).isEqualTo(ours.size());
        assertThat(bench.baselineRawJackson()).isEqualTo(ours.size());
    }

    @Test
    void fixtureIdsAreDistinctAndShapedLikeJobIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = Fixtures.jobId(i);
            assertThat(id).hasSize(26).matches("[a-z][a-z2-7]{25}");
            ids.add(id);
        }
        assertThat(ids).hasSize(100_000);
    }
}
