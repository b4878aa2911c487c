package org.uwskit.prov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.uwskit.InvalidRequestException;
import org.uwskit.InvalidStateException;
import org.uwskit.Job;
import org.uwskit.Phase;
import org.uwskit.Result;

class ProvenanceDocumentsTest {
    /** The official VOTable schema, kept in the repository's scripts/schemas/ (this module's directory is the cwd). */
    static final Path VOTABLE_XSD = Path.of("../scripts/schemas/VOTable.xsd");

    private final ProvenanceDocuments docs = ProvenanceDocuments.builder(DemoJobs.PROVENANCE).build();

    @Test
    void offersEveryFormatWithAlignedNames() {
        assertThat(docs.name()).isEqualTo("provenance");
        assertThat(docs.mediaTypes()).first().isEqualTo("application/json");
        assertThat(docs.mediaTypes()).hasSameSizeAs(docs.formatNames());
        for (int i = 0; i < docs.mediaTypes().size(); i++) {
            assertThat(ProvFormat.of(docs.formatNames().get(i)).mediaType()).isEqualTo(docs.mediaTypes().get(i));
        }
        assertThat(docs.formatNames()).containsExactly("json", "xml", "provn", "dot", "svg", "votable");
        ProvenanceDocuments noDot = ProvenanceDocuments.builder(DemoJobs.PROVENANCE)
                .writers(ProvWriters.builder().dotExecutable(null).build()).build();
        assertThat(noDot.formatNames()).doesNotContain("svg").hasSize(5);
        assertThatThrownBy(() -> noDot.write(DemoJobs.completed(), DemoJobs.JOB_LIST, DemoJobs.LINKS, "image/svg+xml",
                new ByteArrayOutputStream())).isInstanceOf(InvalidRequestException.class).hasMessageContaining("offered");
    }

    @Test
    void appliesToFinishedJobsOnly() {
        assertThat(docs.appliesTo(DemoJobs.completed(), DemoJobs.JOB_LIST)).isTrue();
        assertThat(docs.appliesTo(DemoJobs.failed(), DemoJobs.JOB_LIST)).isTrue();
        assertThat(docs.appliesTo(DemoJobs.aborted(), DemoJobs.JOB_LIST)).isTrue();
        Job pending = Job.builder("jp", "cutout", "cutout", DemoJobs.T0).build();
        assertThat(docs.appliesTo(pending, DemoJobs.JOB_LIST)).isFalse();
        assertThat(docs.listAsResult(DemoJobs.completed(), DemoJobs.JOB_LIST)).isFalse();
        assertThat(ProvenanceDocuments.builder(DemoJobs.PROVENANCE).listAsResult(true).build()
                .listAsResult(DemoJobs.completed(), DemoJobs.JOB_LIST)).isTrue();
        assertThatThrownBy(() -> docs.write(pending, DemoJobs.JOB_LIST, DemoJobs.LINKS, "application/json",
                new ByteArrayOutputStream())).isInstanceOf(InvalidStateException.class);
    }

    @Test
    void unknownMediaTypeIsABadRequest() {
        assertThatThrownBy(() -> docs.write(DemoJobs.completed(), DemoJobs.JOB_LIST, DemoJobs.LINKS, "text/csv",
                new ByteArrayOutputStream())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'text/csv' is not a provenance format").hasMessageContaining("provn");
    }

    @Test
    void mediaTypeParametersAreIgnored() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        docs.write(DemoJobs.completed(), DemoJobs.JOB_LIST, DemoJobs.LINKS, "application/json; charset=UTF-8", out);
        assertThat(new ParsedJson(out.toByteArray()).section("activity")).hasSize(1);
    }

    @Test
    void recordsFileOfTheJobIsMergedAndABrokenOneIsReported() throws Exception {
        Job job = DemoJobs.completed().toBuilder().addResult(Result.stored(ProvRecords.RESULT_NAME, "application/json", 10)).build();
        ProvenanceDocuments good = ProvenanceDocuments.builder(DemoJobs.PROVENANCE).records(j -> new ByteArrayInputStream(
                "{\"activity\": {\"job:j7f3a2\": {\"voprov:comment\": \"seen\"}}}".getBytes(StandardCharsets.UTF_8))).build();
        ParsedJson p = new ParsedJson(write(good, job, "json"));
        assertThat(p.section("activity").values().iterator().next().get("voprov:comment").asText()).isEqualTo("seen");
        assertThat(p.section("entity")).doesNotContainKey("https://uws.example.org/cutout/jobs/j7f3a2/results/"
                + ProvRecords.RESULT_NAME);

        ProvenanceDocuments broken = ProvenanceDocuments.builder(DemoJobs.PROVENANCE).records(j -> new ByteArrayInputStream(
                "{\"entity\": {\"zz:x\": {}}}".getBytes(StandardCharsets.UTF_8))).build();
        ParsedJson q = new ParsedJson(write(broken, job, "json"));
        assertThat(q.section("activity").values().iterator().next().get("uws:provenanceRecordsProblem").asText())
                .contains("prefix of 'zz:x' is not declared");
    }

    @Test
    void votableIsValidAgainstTheVoTableSchema() throws Exception {
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = sf.newSchema(VOTABLE_XSD.toFile());
        for (Job job : List.of(DemoJobs.completed(), DemoJobs.failed(), DemoJobs.aborted())) {
            byte[] vot = write(docs, job, "votable");
            schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(vot)));
            String text = new String(vot, StandardCharsets.UTF_8);
            assertThat(text).contains("<TD>https://uws.example.org/cutout/jobs/" + job.jobId() + "</TD>");
        }
        String vot = new String(write(docs, DemoJobs.completed(), "votable"), StandardCharsets.UTF_8);
        assertThat(vot).contains("<TD>RA</TD><TD>83.6331</TD><TD>https://uws.example.org/cutout/jobs/description/cutout#param.RA</TD>");
    }

    @Test
    void tenThousandResultsAreWrittenAndTheGraphIsSummarised() throws Exception {
        Job big = DemoJobs.large(10_000);
        ProvWriters w = ProvWriters.builder().dotExecutable(null).build();
        ProvDocument d = DemoJobs.PROVENANCE.document(big, DemoJobs.JOB_LIST, DemoJobs.LINKS);
        // how fast: benchmarks/ProvenanceBenchmark (BENCHMARKS.md, "Provenance, 10,000 results"), not a timed test
        for (ProvFormat f : List.of(ProvFormat.JSON, ProvFormat.XML, ProvFormat.PROVN)) {
            assertThat(w.toBytes(d, f)).as("%s of 10,000 results", f).isNotEmpty();
        }
        ParsedJson p = new ParsedJson(w.toBytes(d, ProvFormat.JSON));
        assertThat(p.section("wasGeneratedBy")).hasSize(10_000);
        assertThat(p.section("wasDerivedFrom")).hasSize(10_000);

        assertThat(w.graphIsSummarised(d)).isTrue();
        String dot = new String(w.toBytes(d, ProvFormat.DOT), StandardCharsets.UTF_8);
        long nodes = dot.lines().filter(l -> l.matches("\\s+(n|more)\\d+ \\[label=.*")).count();
        assertThat(nodes).isLessThanOrEqualTo(ProvWriters.DEFAULT_MAX_GRAPH_NODES + ElementKind.values().length);
        assertThat(dot).contains("more entities not drawn");
    }

    private static byte[] write(ProvenanceDocuments d, Job job, String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.write(job, DemoJobs.JOB_LIST, DemoJobs.LINKS, ProvFormat.of(format).mediaType(), out);
        return out.toByteArray();
    }

    @Test
    void phaseTableStillDecidesWhatIsFinished() {
        for (Phase p : Phase.values()) {
            Job j = Job.builder("jx", "cutout", "cutout", DemoJobs.T0).rawPhase(p).build();
            assertThat(docs.appliesTo(j, DemoJobs.JOB_LIST)).isEqualTo(p.isFinished());
        }
    }
}
