package org.uwskit.prov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.uwskit.InvalidStateException;
import org.uwskit.Job;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ProvenanceBuilderTest {
    private static final String BASE = "https://uws.example.org/cutout/jobs/";
    private final ProvWriters writers = ProvWriters.builder().dotExecutable(null).build();

    private ParsedJson json(Job job) throws Exception {
        ProvDocument d = DemoJobs.PROVENANCE.document(job, DemoJobs.JOB_LIST, DemoJobs.LINKS);
        return new ParsedJson(writers.toBytes(d, ProvFormat.JSON));
    }

    @Test
    void completedJobIsAnActivityWithItsTimesAgentsParametersInputsAndResults() throws Exception {
        ParsedJson p = json(DemoJobs.completed());
        JsonNode act = p.section("activity").get(BASE + "j7f3a2");
        assertThat(act.get("prov:startTime").asText()).isEqualTo("2024-05-14T09:30:02.000Z");
        assertThat(act.get("prov:endTime").asText()).isEqualTo("2024-05-14T09:31:47.250Z");
        assertThat(act.get("uws:phase").asText()).isEqualTo("COMPLETED");
        assertThat(act.get("uws:executionDuration").get("type").asText()).isEqualTo("xsd:long");
        assertThat(act.get("uws:phaseChange")).hasSize(4);

        Map<String, JsonNode> entities = p.section("entity");
        String par = BASE + "j7f3a2/parameters/";
        assertThat(entities.get(par + "RA").get("voprov:value").get("type").asText()).isEqualTo("xsd:double");
        assertThat(entities.get(par + "FLIP").get("voprov:value").get("$").asText()).isEqualTo("true");
        assertThat(entities.get(par + "LIMIT").get("voprov:value").get("type").asText()).isEqualTo("xsd:long");
        assertThat(entities.get(par + "EPOCH").get("voprov:value").get("$").asText()).isEqualTo("2000-01-01T12:00:00.000Z");
        assertThat(entities.get(par + "note").get("voprov:value").asText()).isEqualTo("a \"quoted\" note\nwith a second line");

        // inputs: the by-reference URL keeps its URL as id, the upload is its parameter URL
        assertThat(p.refs("used", "prov:entity")).containsExactly("https://data.example.org/files/m1.fits", par + "MASK");
        assertThat(entities.get(par + "MASK").get("uws:size").get("$").asText()).isEqualTo("2880");

        // results: stdout skipped; "1" is not an NCName so its id is encoded, its location is the real URL
        String res = BASE + "j7f3a2/results/";
        assertThat(p.refs("wasGeneratedBy", "prov:entity"))
                .containsExactly(res + "cutout", res + "preview", res + "_31", res + "big");
        assertThat(entities.get(res + "_31").get("prov:location").get("$").asText()).isEqualTo(res + "1");
        assertThat(entities.get(res + "big").get("prov:location").get("$").asText())
                .isEqualTo("https://cdn.example.org/x/cutout-big.fits");
        assertThat(entities.get(res + "cutout").get("uws:sha1").asText()).hasSize(40);
        assertThat(p.section("wasDerivedFrom")).hasSize(4 * 2);
        assertThat(p.refs("wasAttributedTo", "prov:agent")).containsOnly("https://uws.example.org/cutout/users/alice");

        // agents and the plan
        assertThat(p.section("agent")).containsKeys("https://uws.example.org/cutout/users/alice",
                "https://uws.example.org/cutout/service");
        assertThat(p.refs("wasAssociatedWith", "prov:plan"))
                .containsExactly(BASE + "description/cutout#activity");
        JsonNode bundle = p.root.get("bundle").get("desc:bundle");
        assertThat(bundle.get("entity").get("desc:activity").get("prov:type")).hasSize(2);
        assertThat(bundle.get("entity").get("desc:used.IMAGE").get("voprov:role").asText()).isEqualTo("IMAGE");
    }

    @Test
    void failedAndAbortedJobsSayWhy() throws Exception {
        ParsedJson f = json(DemoJobs.failed());
        JsonNode act = f.section("activity").get(BASE + "jerr01");
        assertThat(act.get("voprov:comment").asText()).isEqualTo("RA 400 is outside the image");
        assertThat(act.get("uws:errorType").asText()).isEqualTo("fatal");
        // an owner id that is not an XML name is encoded; the agent keeps it as its name
        String bob = "https://uws.example.org/cutout/users/" + ProvIds.encodeLocal("bob@example.org");
        assertThat(f.section("agent").get(bob).get("voprov:name").asText()).isEqualTo("bob@example.org");
        assertThat(act.get("uws:ownerId").asText()).isEqualTo("bob@example.org");
        // an input URL ending in digits cannot be a QName: stable hashed id, real URL as location
        String used = f.refs("used", "prov:entity").get(0);
        assertThat(used).startsWith("https://uws.example.org/cutout/inputs/u");
        assertThat(f.section("entity").get(used).get("prov:location").get("$").asText())
                .isEqualTo("https://data.example.org/get?id=12");

        ParsedJson a = json(DemoJobs.aborted());
        JsonNode ab = a.section("activity").get(BASE + "jab01");
        assertThat(ab.has("prov:startTime")).isFalse();
        assertThat(ab.get("prov:endTime").asText()).isEqualTo("2024-05-14T09:29:57.000Z");
        assertThat(ab.get("voprov:comment").asText()).isEqualTo("aborted: client ABORT");
        assertThat(a.section("agent")).hasSize(1); // anonymous: only the service
        assertThat(a.section("wasGeneratedBy")).isEmpty();
    }

    @Test
    void unfinishedJobsHaveNoProvenance() {
        Job running = Job.builder("jrun", "cutout", "cutout", DemoJobs.T0).rawPhase(Phase.EXECUTING, DemoJobs.T0, null)
                .build();
        assertThatThrownBy(() -> DemoJobs.PROVENANCE.document(running, DemoJobs.JOB_LIST, DemoJobs.LINKS))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("EXECUTING");
    }

    @Test
    void chainedJobsShareTheEntityId() throws Exception {
        ParsedJson a = json(DemoJobs.chainA());
        ParsedJson b = json(DemoJobs.chainB());
        List<String> generatedByA = a.refs("wasGeneratedBy", "prov:entity");
        List<String> usedByB = b.refs("used", "prov:entity");
        assertThat(generatedByA).containsExactly(BASE + "jchaina/results/catalog");
        assertThat(usedByB).contains(generatedByA.get(0)).hasSize(2);
    }

    @Test
    void markupAndAmpersandsSurviveEveryFormat() throws Exception {
        String nasty = "a <b>&amp; \"c\" 'd' \\ e\nf";
        Job job = DemoJobs.aborted().toBuilder().parameters(List.of(Parameter.of("note", nasty))).build();
        ProvDocument d = DemoJobs.PROVENANCE.document(job, DemoJobs.JOB_LIST, DemoJobs.LINKS);
        ParsedJson p = new ParsedJson(writers.toBytes(d, ProvFormat.JSON));
        assertThat(p.section("entity").get(BASE + "jab01/parameters/note").get("voprov:value").asText()).isEqualTo(nasty);

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document xml = f.newDocumentBuilder().parse(new ByteArrayInputStream(writers.toBytes(d, ProvFormat.XML)));
        NodeList values = xml.getElementsByTagNameNS(ProvTerms.VOPROV, "value");
        assertThat(values.getLength()).isEqualTo(1);
        assertThat(values.item(0).getTextContent()).isEqualTo(nasty);

        String provn = new String(writers.toBytes(d, ProvFormat.PROVN), StandardCharsets.UTF_8);
        assertThat(provn).contains("voprov:value=\"a <b>&amp; \\\"c\\\" 'd' \\\\ e\\nf\"");
        String dot = new String(writers.toBytes(d, ProvFormat.DOT), StandardCharsets.UTF_8);
        assertThat(dot).contains("label=\"note = a <b>&amp; \\\"c\\\" 'd' \\\\ e\\nf\"");
    }

    @Test
    void jobLogicRecordsAreMerged() throws Exception {
        Job job = DemoJobs.completed();
        String records = """
                {"prefix": {"ext": "https://archive.example.org/"},
                 "entity": {"ext:calib-2024": {"prov:label": "calibration frame", "ext:frames": 3},
                            "res:cutout": {"voprov:comment": "flux calibrated"}},
                 "used": {"_:u1": {"prov:activity": "job:j7f3a2", "prov:entity": "ext:calib-2024", "prov:role": "CALIB",
                                   "prov:time": "2024-05-14T09:30:10Z"}},
                 "activity": {"job:j7f3a2": {"voprov:comment": "3 frames rejected"}}}
                """;
        ProvDocument extra = ProvRecords.read(new ByteArrayInputStream(records.getBytes(StandardCharsets.UTF_8)),
                DemoJobs.PROVENANCE.namespaces(job, DemoJobs.LINKS), ProvRecords.DEFAULT_MAX_BYTES);
        ProvDocument d = DemoJobs.PROVENANCE.document(job, DemoJobs.CUTOUT, DemoJobs.LINKS, extra);
        ParsedJson p = new ParsedJson(writers.toBytes(d, ProvFormat.JSON));
        assertThat(p.section("activity")).hasSize(1);
        assertThat(p.section("activity").get(BASE + "j7f3a2").get("voprov:comment").asText()).isEqualTo("3 frames rejected");
        assertThat(p.section("entity").get(BASE + "j7f3a2/results/cutout").get("voprov:comment").asText())
                .isEqualTo("flux calibrated");
        assertThat(p.section("entity").get("https://archive.example.org/calib-2024").get("ext:frames").get("type").asText())
                .isEqualTo("xsd:long");
        assertThat(p.refs("used", "prov:entity")).contains("https://archive.example.org/calib-2024");
    }

    @Test
    void badRecordsAreRejectedWithAClearMessage() {
        Map<String, String> ns = DemoJobs.PROVENANCE.namespaces(DemoJobs.completed(), DemoJobs.LINKS);
        assertThatThrownBy(() -> ProvRecords.read(in("{\"entity\": {\"nope:x\": {}}}"), ns, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix of 'nope:x' is not declared");
        assertThatThrownBy(() -> ProvRecords.read(in("{\"prefix\": {\"job\": \"https://evil/\"}}"), ns, 1000))
                .hasMessageContaining("may not rebind the prefix job");
        assertThatThrownBy(() -> ProvRecords.read(in("{\"used\": {\"_:u\": {\"prov:entity\": \"res:x\"}}}"), ns, 1000))
                .hasMessageContaining("used needs its activity");
        assertThatThrownBy(() -> ProvRecords.read(in("[1, 2"), ns, 1000)).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ProvRecords.read(in("{\"entity\": {}}" + " ".repeat(2000)), ns, 100))
                .hasMessageContaining("larger than 100 bytes");
    }

    @Test
    void modelRejectsWhatTheSchemasWouldReject() {
        assertThatThrownBy(() -> ProvElement.entity("https://x/dir/", List.of()))
                .hasMessageContaining("NCName");
        assertThatThrownBy(() -> ProvRelation.of(RelationKind.WAS_ATTRIBUTED_TO, null, null,
                List.of(ProvAttribute.of(ProvTerms.PROV_ROLE, "r")), "https://x/e", "https://x/a"))
                .hasMessageContaining("prov:role is not allowed on wasAttributedTo");
        assertThatThrownBy(() -> ProvRelation.of(RelationKind.WAS_ATTRIBUTED_TO, null, Instant.EPOCH, List.of(),
                "https://x/e", "https://x/a")).hasMessageContaining("has no time");
    }

    @Test
    void idsAreEncodedInjectively() {
        assertThat(ProvIds.encodeLocal("cutout")).isEqualTo("cutout");
        assertThat(ProvIds.encodeLocal("1")).isEqualTo("_31");
        assertThat(ProvIds.encodeLocal("_31")).isEqualTo("_5f3331");
        assertThat(ProvIds.encodeLocal("a b")).isEqualTo("_612062");
        assertThat(ProvIds.isRepresentable("https://x/files/m1.fits")).isTrue();
        assertThat(ProvIds.isRepresentable("https://x/get?id=12")).isFalse();
        assertThat(ProvIds.isRepresentable("relative/path")).isFalse();
        assertThat(ProvenanceBuilder.decodeLocal(ProvIds.encodeLocal("Ünïcode/x"))).isEqualTo("Ünïcode/x");
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
