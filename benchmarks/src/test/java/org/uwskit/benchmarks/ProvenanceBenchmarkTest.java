package org.uwskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.uwskit.prov.ProvFormat;
import org.w3c.dom.Document;

/** Runs each provenance benchmark body once on a job with 300 results and checks every result is in the output. */
class ProvenanceBenchmarkTest {
    private static final int N = 300;
    private static final String PROV_NS = "http://www.w3.org/ns/prov#";

    private final ProvenanceBenchmark bench = new ProvenanceBenchmark();

    ProvenanceBenchmarkTest() {
        bench.results = N;
        bench.setup();
    }

    @Test
    void provJsonHasAGenerationPerResult() throws Exception {
        byte[] json = bench.writers.toBytes(bench.build(), ProvFormat.JSON);
        JsonNode doc = new ObjectMapper().readTree(json);
        // one entity per result, plus the parameters and the by-reference input
        assertThat(doc.get("entity").size()).isGreaterThanOrEqualTo(N);
        assertThat(doc.get("wasGeneratedBy").size()).isEqualTo(N);
        assertThat(bench.provJson()).isEqualTo(json.length);
    }

    @Test
    void provXmlIsWellFormedWithAGenerationPerResult() throws Exception {
        byte[] xml = bench.writers.toBytes(bench.build(), ProvFormat.XML);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        assertThat(doc.getElementsByTagNameNS(PROV_NS, "wasGeneratedBy").getLength()).isEqualTo(N);
        assertThat(bench.provXml()).isEqualTo(xml.length);
    }

    @Test
    void provNHasAGenerationPerResult() throws Exception {
        byte[] provn = bench.writers.toBytes(bench.build(), ProvFormat.PROVN);
        String text = new String(provn, StandardCharsets.UTF_8);
        assertThat(text).startsWith("document").contains("endDocument");
        assertThat(text.split("wasGeneratedBy\\(", -1)).hasSize(N + 1);
        assertThat(bench.provN()).isEqualTo(provn.length);
    }

    @Test
    void baselineWritesEveryResultAsAPlainJsonArray() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        bench.mapper.writeValue(out, bench.job.results());
        JsonNode array = new ObjectMapper().readTree(out.toByteArray());
        assertThat(array.isArray()).isTrue();
        assertThat(array.size()).isEqualTo(N);
        assertThat(array.get(N - 1).get("id").asText()).isEqualTo("r" + (N - 1));
        assertThat(bench.baselineJacksonResults()).isEqualTo(out.size());
    }
}
