package org.uwskit.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.uwskit.xml.Dom.attr;
import static org.uwskit.xml.Dom.child;
import static org.uwskit.xml.Dom.children;
import static org.uwskit.xml.Dom.text;
import static org.uwskit.xml.Dom.xlinkHref;
import static org.uwskit.xml.UwsFixtures.CONTROL;
import static org.uwskit.xml.UwsFixtures.LINKS;
import static org.uwskit.xml.UwsFixtures.T0;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.uwskit.Job;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.uwskit.xml.Dom;
import org.uwskit.xml.UwsFixtures;
import org.uwskit.xml.UwsXml;
import org.w3c.dom.Element;

class UwsJsonTest {
    static final Pattern INSTANT = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$");
    static final List<String> JOB_FIELDS = List.of("version", "jobId", "runId", "ownerId", "phase", "quote",
            "creationTime", "startTime", "endTime", "executionDuration", "destruction", "parameters", "results",
            "errorSummary", "jobInfo");
    private final ObjectMapper mapper = new ObjectMapper();
    private final UwsJson json = UwsJson.create();

    static Stream<UwsFixtures.Case> cases() {
        return UwsFixtures.all().stream();
    }

    JsonNode jobJson(Job job) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeJob(job, LINKS, out);
        return mapper.readTree(out.toByteArray());
    }

    static Element jobXml(Job job) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UwsXml.create().writeJob(job, LINKS, out);
        return Dom.parse(out.toByteArray()).getDocumentElement();
    }

    /** JSON keeps characters the XML must replace (documented); compare modulo that replacement. */
    static String asXml(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        n.asText().codePoints().forEach(c -> {
            boolean ok = c == 9 || c == 10 || c == 13 || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
            b.appendCodePoint(ok ? c : 0xFFFD);
        });
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jobCarriesTheSameContentAsTheXml(UwsFixtures.Case c) throws IOException {
        Job j = c.job();
        JsonNode n = jobJson(j);
        Element x = jobXml(j);

        List<String> fields = new ArrayList<>();
        n.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("every field present, nulls included, in the documented order")
                .containsExactlyElementsOf(JOB_FIELDS);
        assertThat(n.get("version").asText()).isEqualTo(x.getAttribute("version"));
        for (String name : List.of("jobId", "runId", "ownerId", "phase", "quote", "creationTime", "startTime",
                "endTime", "destruction")) {
            assertThat(asXml(n.get(name))).as(name).isEqualTo(text(x, name));
        }
        for (String name : List.of("quote", "creationTime", "startTime", "endTime", "destruction")) {
            if (!n.get(name).isNull()) {
                assertThat(n.get(name).asText()).as(name).matches(INSTANT);
            }
        }
        assertThat(n.get("executionDuration").isIntegralNumber()).isTrue();
        assertThat(n.get("executionDuration").asLong()).isEqualTo(j.executionDuration());
        if (j.executionDuration() <= Integer.MAX_VALUE) {
            assertThat(n.get("executionDuration").asText()).isEqualTo(text(x, "executionDuration"));
        }

        List<Element> xp = children(child(x, "parameters"));
        JsonNode jp = n.get("parameters");
        assertThat(jp.isArray()).isTrue();
        assertThat(jp).hasSize(xp.size());
        for (int i = 0; i < xp.size(); i++) {
            assertThat(asXml(jp.get(i).get("id"))).isEqualTo(xp.get(i).getAttribute("id"));
            assertThat(jp.get(i).get("byReference").isBoolean()).isTrue();
            String value = jp.get(i).get("value").asText();
            if (!jp.get(i).get("byReference").asBoolean() && !value.codePoints().allMatch(UwsJsonTest::xmlChar)) {
                // JSON carries any value; XML gives such a value by reference to /parameters/{name}
                assertThat(attr(xp.get(i), "byReference")).isEqualTo("true");
                assertThat(xp.get(i).getTextContent()).contains("/parameters/");
                continue;
            }
            assertThat(asXml(jp.get(i).get("value"))).isEqualTo(xp.get(i).getTextContent());
            assertThat(jp.get(i).get("byReference").asBoolean())
                    .isEqualTo("true".equals(attr(xp.get(i), "byReference")));
        }

        List<Element> xr = children(child(x, "results"));
        JsonNode jr = n.get("results");
        assertThat(jr).hasSize(xr.size());
        for (int i = 0; i < xr.size(); i++) {
            JsonNode r = jr.get(i);
            assertThat(r.get("id").asText()).isEqualTo(attr(xr.get(i), "id"));
            assertThat(r.get("href").asText()).isEqualTo(xlinkHref(xr.get(i)));
            assertThat(asXml(r.get("mimeType"))).isEqualTo(attr(xr.get(i), "mime-type"));
            assertThat(r.get("size").isNull() ? null : r.get("size").asText()).isEqualTo(attr(xr.get(i), "size"));
        }

        Element xe = child(x, "errorSummary");
        JsonNode je = n.get("errorSummary");
        if (xe == null) {
            assertThat(je.isNull()).isTrue();
        } else {
            assertThat(je.get("type").asText()).isEqualTo(xe.getAttribute("type"));
            assertThat(je.get("hasDetail").asBoolean()).isEqualTo(Boolean.parseBoolean(xe.getAttribute("hasDetail")));
            assertThat(asXml(je.get("message"))).isEqualTo(text(xe, "message"));
        }

        JsonNode ji = n.get("jobInfo");
        assertThat(ji.isObject()).isTrue();
        Element xi = child(x, "jobInfo");
        List<Element> xiEntries = xi == null ? List.of() : children(xi);
        assertThat(ji.size()).isEqualTo(xiEntries.size()).isEqualTo(j.jobInfo().size());
        int i = 0;
        for (Map.Entry<String, String> e : j.jobInfo().entrySet()) {
            assertThat(ji.get(e.getKey()).asText()).as("JSON keeps the key " + e.getKey()).isEqualTo(e.getValue());
            assertThat(asXml(ji.get(e.getKey()))).isEqualTo(xiEntries.get(i++).getTextContent());
        }
    }

    @Test
    void jsonKeepsControlCharactersThatXmlMustReplace() throws IOException {
        Job j = UwsFixtures.job("control-everywhere");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeJob(j, LINKS, out);
        String raw = out.toString(StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("\u0000", "\u0007").contains("\\u0000").contains("\\u0007");
        JsonNode n = mapper.readTree(out.toByteArray());
        assertThat(n.get("runId").asText()).isEqualTo(CONTROL);
        assertThat(n.get("parameters").get(0).get("id").asText()).isEqualTo(CONTROL);
        assertThat(n.get("errorSummary").get("message").asText()).isEqualTo(CONTROL);
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharactersAndTheOutputIsValidUtf8() throws IOException {
        Job j = Job.builder("s", "demo", "t", T0).runId("a\uD800b\uDC00c\uD83D\uDE00d\uD83D").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.writeJob(j, LINKS, out);
        byte[] bytes = out.toByteArray();
        java.nio.charset.CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
        strict.decode(java.nio.ByteBuffer.wrap(bytes));
        assertThat(mapper.readTree(bytes).get("runId").asText()).isEqualTo("a\uFFFDb\uFFFDc\uD83D\uDE00d\uFFFD");
    }

    @Test
    void pendingJobHasExplicitNullsAndEmptyCollections() throws IOException {
        JsonNode n = jobJson(UwsFixtures.job("pending-nils"));
        for (String name : List.of("runId", "ownerId", "quote", "startTime", "endTime", "destruction",
                "errorSummary")) {
            assertThat(n.has(name)).as(name).isTrue();
            assertThat(n.get(name).isNull()).as(name).isTrue();
        }
        assertThat(n.get("parameters").isArray()).isTrue();
        assertThat(n.get("parameters")).isEmpty();
        assertThat(n.get("results")).isEmpty();
        assertThat(n.get("jobInfo").isObject()).isTrue();
        assertThat(n.get("jobInfo")).isEmpty();
        assertThat(n.get("executionDuration").asLong()).isZero();
        assertThat(n.get("phase").asText()).isEqualTo("PENDING");
        assertThat(n.get("version").asText()).isEqualTo("1.1");
    }

    @Test
    void uploadsAndReferencesAreByReference() throws IOException {
        JsonNode ps = jobJson(UwsFixtures.job("pending-full")).get("parameters");
        JsonNode upload = ps.get(ps.size() - 1);
        assertThat(upload.get("id").asText()).isEqualTo("t1");
        assertThat(upload.get("value").asText()).isEqualTo("http://127.0.0.1:8080/uws/demo/p1/parameters/t1");
        assertThat(upload.get("byReference").asBoolean()).isTrue();
        JsonNode ref = ps.get(ps.size() - 2);
        assertThat(ref.get("value").asText()).isEqualTo("https://example.org/cat?a=1&b=2");
        assertThat(ref.get("byReference").asBoolean()).isTrue();
        assertThat(ps.get(0).get("byReference").asBoolean()).isFalse();
        assertThat(ps.get(0).size()).as("only id, value, byReference").isEqualTo(3);
    }

    @Test
    void resultsDocumentAndParametersDocumentWrapTheArrays() throws IOException {
        Job j = UwsFixtures.job("completed");
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        json.writeResults(j, LINKS, r);
        JsonNode results = mapper.readTree(r.toByteArray());
        assertThat(results.size()).isEqualTo(1);
        assertThat(results.get("results")).isEqualTo(jobJson(j).get("results"));
        assertThat(results.get("results").get(0).get("size").asLong()).isEqualTo(123_456_789_012L);
        assertThat(results.get("results").get(1).get("size").isNull()).isTrue();
        assertThat(results.get("results").get(1).get("mimeType").isNull()).isTrue();

        ByteArrayOutputStream p = new ByteArrayOutputStream();
        json.writeParameters(j, LINKS, p);
        JsonNode params = mapper.readTree(p.toByteArray());
        assertThat(params.size()).isEqualTo(1);
        assertThat(params.get("parameters")).isEqualTo(jobJson(j).get("parameters"));
    }

    @Test
    void jobListMatchesTheXmlJobList() throws IOException {
        List<JobRef> refs = UwsFixtures.all().stream().map(c -> c.job().ref()).toList();
        ByteArrayOutputStream jo = new ByteArrayOutputStream();
        json.writeJobList(refs.iterator(), LINKS, jo);
        ByteArrayOutputStream xo = new ByteArrayOutputStream();
        UwsXml.create().writeJobList(refs.iterator(), LINKS, xo);
        JsonNode n = mapper.readTree(jo.toByteArray());
        Element x = Dom.parse(xo.toByteArray()).getDocumentElement();
        List<String> top = new ArrayList<>();
        n.fieldNames().forEachRemaining(top::add);
        assertThat(top).containsExactly("version", "jobs");
        assertThat(n.get("version").asText()).isEqualTo("1.1");
        List<Element> xr = children(x);
        assertThat(n.get("jobs")).hasSize(xr.size()).hasSize(refs.size());
        for (int i = 0; i < xr.size(); i++) {
            JsonNode r = n.get("jobs").get(i);
            List<String> fields = new ArrayList<>();
            r.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("jobId", "href", "phase", "runId", "ownerId", "creationTime");
            assertThat(asXml(r.get("jobId"))).isEqualTo(xr.get(i).getAttribute("id"));
            assertThat(r.get("href").asText()).isEqualTo(xlinkHref(xr.get(i)));
            for (String name : List.of("phase", "runId", "ownerId", "creationTime")) {
                assertThat(asXml(r.get(name))).as(name).isEqualTo(text(xr.get(i), name));
            }
        }
    }

    @Test
    void jobListIsStreamedFromALazyIteratorAndTheStreamStaysOpen() throws IOException {
        long[] written = {0};
        boolean[] closed = {false};
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                copy.write(b);
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                copy.write(b, off, len);
                written[0] += len;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        long[] writtenAtHalf = {-1};
        int count = 20_000;
        Iterator<JobRef> lazy = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < count;
            }

            @Override
            public JobRef next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (i == count / 2) {
                    writtenAtHalf[0] = written[0];
                }
                int k = i++;
                return new JobRef("job" + k, Phase.QUEUED, null, k % 2 == 0 ? "o" : null,
                        Instant.ofEpochSecond(1_700_000_000L + k));
            }
        };
        json.writeJobList(lazy, LINKS, sink);
        assertThat(writtenAtHalf[0]).isGreaterThan(500_000);
        assertThat(closed[0]).isFalse();
        assertThat(mapper.readTree(copy.toByteArray()).get("jobs")).hasSize(count);
    }

    @Test
    void aFailingIteratorLeavesUnfinishedJsonRatherThanAValidLookingList() {
        Iterator<JobRef> failing = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public JobRef next() {
                if (i == 3) {
                    throw new StoreUnavailableException("database went away", null);
                }
                return new JobRef("j" + i++, Phase.PENDING, null, null, T0);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> json.writeJobList(failing, LINKS, out)).isInstanceOf(StoreUnavailableException.class);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"j2\"");
        assertThatThrownBy(() -> mapper.readTree(out.toByteArray())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void mediaTypeIsJson() {
        assertThat(json.mediaType()).isEqualTo("application/json");
    }

    private static boolean xmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
                || c >= 0x10000 && c <= 0x10FFFF;
    }
}
