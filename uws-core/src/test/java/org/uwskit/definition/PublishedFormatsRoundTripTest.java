package org.uwskit.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.JobDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A definition file round-trips: file → JobDefinition → JSON Schema and DataLink descriptor → read back → the same
 * parameters (name, type, default, range, options, required, unit, UCD, description).
 */
class PublishedFormatsRoundTripTest {
    @TempDir
    Path dir;

    /** What both published formats say of one parameter, comparable across them. */
    record Seen(String name, ParameterType type, String defaultValue, Double min, Double max, List<String> options,
                boolean required, String unit, String ucd) {
    }

    static Seen expected(ParameterDefinition p) {
        return new Seen(p.name(), p.type(), p.defaultValue(), p.min(), p.max(), p.options(), p.required(), p.unit(),
                p.ucd());
    }

    JobDefinition load() throws Exception {
        Files.writeString(dir.resolve("helper.py"), "");
        Path f = dir.resolve("pack.json");
        Files.writeString(f, DefinitionLoaderTest.GOOD.replace(", \"maxOccurs\": 3", ""), StandardCharsets.UTF_8);
        return DefinitionLoader.defaults().load(f).definition();
    }

    @Test
    void theJsonSchemaSaysWhatTheFileSaid() throws Exception {
        JobDefinition d = load();
        JsonNode s = new ObjectMapper().readTree(CreationSchema.write(d, "http://x/uws/pack/definitions/pack", Map.of()));
        assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.get("additionalProperties").asBoolean()).isFalse();
        List<String> required = new ArrayList<>();
        s.get("required").forEach(n -> required.add(n.asText()));
        List<Seen> seen = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.get("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            String format = p.path("format").asText(null);
            ParameterType type = switch (p.get("type").asText()) {
                case "integer" -> ParameterType.INTEGER;
                case "number" -> ParameterType.REAL;
                case "boolean" -> ParameterType.BOOLEAN;
                default -> p.has("enum") ? ParameterType.ENUMERATED : p.path("x-upload").asBoolean() ? ParameterType.FILE
                        : "date-time".equals(format) ? ParameterType.INSTANT : "uri".equals(format) ? ParameterType.URI
                        : ParameterType.STRING;
            };
            List<String> options = new ArrayList<>();
            p.path("enum").forEach(n -> options.add(n.asText()));
            seen.add(new Seen(e.getKey(), type, p.has("default") ? p.get("default").asText() : null,
                    p.has("minimum") ? p.get("minimum").asDouble() : null,
                    p.has("maximum") ? p.get("maximum").asDouble() : null, options, required.contains(e.getKey()),
                    p.path("x-unit").asText(null), p.path("x-ucd").asText(null)));
        }
        assertThat(seen).containsExactlyElementsOf(d.parameters().values().stream()
                .map(PublishedFormatsRoundTripTest::expected).toList());
        assertThat(s.at("/properties/TAG/pattern").asText()).isEqualTo("^(?:[a-z]+)$");
        assertThat(s.at("/properties/FILE/x-contentTypes/1").asText()).isEqualTo("image/*");
    }

    @Test
    void theDataLinkDescriptorSaysWhatTheFileSaid() throws Exception {
        JobDefinition d = load();
        String xml = ServiceDescriptor.write(d, "http://x/uws/pack", Map.of());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element resource = (Element) doc.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "RESOURCE").item(0);
        assertThat(resource.getAttribute("type")).isEqualTo("meta");
        assertThat(resource.getAttribute("utype")).isEqualTo("adhoc:service");
        Element group = (Element) resource.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "GROUP").item(0);
        assertThat(group.getAttribute("name")).isEqualTo("inputParams");
        NodeList params = group.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "PARAM");
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < params.getLength(); i++) {
            Element p = (Element) params.item(i);
            Element values = (Element) p.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "VALUES").item(0);
            List<String> options = new ArrayList<>();
            Double min = null;
            Double max = null;
            if (values != null) {
                NodeList os = values.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "OPTION");
                for (int k = 0; k < os.getLength(); k++) {
                    options.add(((Element) os.item(k)).getAttribute("value"));
                }
                NodeList mins = values.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "MIN");
                min = mins.getLength() == 0 ? null : Double.valueOf(((Element) mins.item(0)).getAttribute("value"));
                NodeList maxs = values.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "MAX");
                max = maxs.getLength() == 0 ? null : Double.valueOf(((Element) maxs.item(0)).getAttribute("value"));
            }
            String description = p.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "DESCRIPTION").getLength() == 0
                    ? "" : p.getElementsByTagNameNS(ServiceDescriptor.VOTABLE_NS, "DESCRIPTION").item(0).getTextContent();
            ParameterType type = switch (p.getAttribute("datatype")) {
                case "long" -> ParameterType.INTEGER;
                case "double" -> ParameterType.REAL;
                case "boolean" -> ParameterType.BOOLEAN;
                default -> !options.isEmpty() ? ParameterType.ENUMERATED
                        : p.getAttribute("xtype").equals("timestamp") ? ParameterType.INSTANT
                        : description.contains("(a file") || description.contains("; a file") ? ParameterType.FILE
                        : description.contains("an absolute URI") ? ParameterType.URI : ParameterType.STRING;
            };
            String value = p.getAttribute("value");
            seen.add(new Seen(p.getAttribute("name"), type, value.isEmpty() ? null : value, min, max, options,
                    description.contains("required"), p.hasAttribute("unit") ? p.getAttribute("unit") : null,
                    p.hasAttribute("ucd") ? p.getAttribute("ucd") : null));
        }
        assertThat(seen).containsExactlyElementsOf(d.parameters().values().stream()
                .map(PublishedFormatsRoundTripTest::expected).toList());
    }

    @Test
    void theProvDmActivityDescriptionReadsBackIntoTheSameParametersAndOutputs() throws Exception {
        JobDefinition d = load();
        String xml = ActivityDescriptionDocument.write(d);
        javax.xml.validation.SchemaFactory sf = javax.xml.validation.SchemaFactory.newInstance(
                javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.newSchema(Path.of("../scripts/schemas/VOTable.xsd").toFile()).newValidator().validate(
                new javax.xml.transform.stream.StreamSource(new java.io.StringReader(xml)));
        assertThat(xml).as("how a job runs is never published").doesNotContain("name=\"script\"", "helper.py", "LC_ALL");

        // OPUS needs a script to run it: give one, and read the document back as a job definition file
        Path f = dir.resolve("pack.xml");
        Files.writeString(f, xml.replace("<GROUP name=\"InputParams\">",
                "<PARAM name=\"script\" datatype=\"char\" arraysize=\"*\" value=\"true\"/>"
                        + "<GROUP name=\"InputParams\">"), StandardCharsets.UTF_8);
        JobDefinition back = DefinitionLoader.defaults().load(f).definition();
        assertThat(back.name()).isEqualTo(d.name());
        assertThat(back.description()).isEqualTo(d.description());
        assertThat(back.version()).isEqualTo(d.version());
        assertThat(back.parameters().values().stream().map(PublishedFormatsRoundTripTest::expected).toList())
                .containsExactlyInAnyOrderElementsOf(d.parameters().values().stream()
                        .map(PublishedFormatsRoundTripTest::expected).toList());
        assertThat(back.parameters().values().stream().map(ParameterDefinition::description).toList())
                .containsExactlyInAnyOrderElementsOf(d.parameters().values().stream()
                        .map(ParameterDefinition::description).toList());
        assertThat(back.outputs()).containsExactlyElementsOf(d.outputs());
    }

    @Test
    void theVosiCapabilitiesAndOpenApiSayWhatTheFileSaid() throws Exception {
        JobDefinition d = load();
        org.uwskit.JobList list = org.uwskit.JobList.builder("pack").definition(d).build();
        String xml = VosiCapabilities.write("http://x/uws", "http://x/uws/capabilities", List.of(list), "definitions");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList params = doc.getElementsByTagName("param");
        List<List<String>> seen = new ArrayList<>();
        for (int i = 0; i < params.getLength(); i++) {
            Element p = (Element) params.item(i);
            seen.add(List.of(text(p, "name"), p.getAttribute("use"), text(p, "unit"), text(p, "ucd"),
                    text(p, "dataType")));
        }
        assertThat(seen).containsExactlyElementsOf(d.parameters().values().stream().map(p -> List.of(p.name(),
                p.required() ? "required" : "optional", p.unit() == null ? "" : p.unit(),
                p.ucd() == null ? "" : p.ucd(), switch (p.type()) {
                    case INTEGER -> "integer";
                    case REAL -> "real";
                    case BOOLEAN -> "boolean";
                    default -> "string";
                })).toList());

        JsonNode api = new ObjectMapper().readTree(OpenApiDocument.write("t", "http://x/uws", List.of(list)));
        JsonNode embedded = api.at("/components/schemas/create-pack/allOf/1");
        JsonNode standalone = new ObjectMapper().readTree(CreationSchema.write(d, null, Map.of()));
        assertThat(embedded.get("properties")).isEqualTo(standalone.get("properties"));
        assertThat(embedded.get("required")).isEqualTo(standalone.get("required"));
        assertThat(api.at("/components/schemas/create-pack/unevaluatedProperties").asBoolean(true)).isFalse();
    }

    private static String text(Element e, String child) {
        NodeList n = e.getElementsByTagName(child);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent();
    }
}
