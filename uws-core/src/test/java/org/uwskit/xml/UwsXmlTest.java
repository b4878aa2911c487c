package org.uwskit.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.uwskit.xml.Dom.attr;
import static org.uwskit.xml.Dom.child;
import static org.uwskit.xml.Dom.children;
import static org.uwskit.xml.Dom.isNil;
import static org.uwskit.xml.Dom.text;
import static org.uwskit.xml.Dom.xlinkHref;
import static org.uwskit.xml.UwsFixtures.CONTROL;
import static org.uwskit.xml.UwsFixtures.LINKS;
import static org.uwskit.xml.UwsFixtures.T0;
import static org.uwskit.xml.UwsFixtures.TRICKY;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.uwskit.Job;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class UwsXmlTest {
    static final Pattern INSTANT = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$");
    static final String R = "\uFFFD";
    private final UwsXml xml = UwsXml.create();

    static Stream<UwsFixtures.Case> cases() {
        return UwsFixtures.all().stream();
    }

    static byte[] job(UwsXml xml, Job job) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xml.writeJob(job, LINKS, out);
        return out.toByteArray();
    }

    byte[] job(Job job) throws IOException {
        return job(xml, job);
    }

    @Test
    void fixturesCoverEveryPhase() {
        Set<Phase> seen = EnumSet.noneOf(Phase.class);
        UwsFixtures.all().forEach(c -> seen.add(c.job().phase()));
        assertThat(seen).containsExactlyInAnyOrder(Phase.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyJobIsSchemaValid(UwsFixtures.Case c) throws IOException {
        byte[] doc = job(c.job());
        assertThatCode(() -> UwsSchema.instance().validate(doc))
                .as(new String(doc, StandardCharsets.UTF_8)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void elementsFollowTheJobSummarySequenceExactly(UwsFixtures.Case c) throws IOException {
        Job j = c.job();
        Element root = Dom.parse(job(j)).getDocumentElement();
        List<String> expected = new ArrayList<>(List.of("jobId"));
        if (j.runId() != null) {
            expected.add("runId");
        }
        expected.addAll(List.of("ownerId", "phase", "quote", "creationTime", "startTime", "endTime",
                "executionDuration", "destruction", "parameters", "results"));
        if (j.error() != null) {
            expected.add("errorSummary");
        }
        if (!j.jobInfo().isEmpty()) {
            expected.add("jobInfo");
        }
        assertThat(children(root)).allSatisfy(e -> assertThat(e.getNamespaceURI()).isEqualTo(UwsXml.UWS_NS));
        assertThat(children(root).stream().map(Element::getLocalName)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rootIsVersionedUwsJobWithUwsPrefix(UwsFixtures.Case c) throws IOException {
        Element root = Dom.parse(job(c.job())).getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.ivoa.net/xml/UWS/v1.0");
        assertThat(root.getLocalName()).isEqualTo("job");
        assertThat(root.getPrefix()).isEqualTo("uws");
        assertThat(root.getAttribute("version")).isEqualTo("1.1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void absentValuesAreNilAndPresentOnesAreUtcInstants(UwsFixtures.Case c) throws IOException {
        Job j = c.job();
        Element root = Dom.parse(job(j)).getDocumentElement();
        assertNilIff(root, "ownerId", j.ownerId() == null);
        assertNilIff(root, "quote", j.quote() == null);
        assertNilIff(root, "startTime", j.startTime() == null);
        assertNilIff(root, "endTime", j.endTime() == null);
        assertNilIff(root, "destruction", j.destruction() == null);
        assertThat(isNil(child(root, "creationTime"))).isFalse();
        for (String name : List.of("quote", "creationTime", "startTime", "endTime", "destruction")) {
            String value = text(root, name);
            if (value != null) {
                assertThat(value).as(name).matches(INSTANT);
            }
        }
        assertThat(text(root, "creationTime")).isEqualTo("2026-11-21T09:30:00.123Z");
        assertThat(text(root, "phase")).isEqualTo(j.phase().name());
        assertThat(text(root, "jobId")).isEqualTo(j.jobId());
    }

    private static void assertNilIff(Element root, String name, boolean nil) {
        Element e = child(root, name);
        assertThat(e).as(name).isNotNull();
        assertThat(isNil(e)).as(name + " nil").isEqualTo(nil);
        if (nil) {
            assertThat(e.hasChildNodes()).as(name + " nil must be empty").isFalse();
        }
    }

    @Test
    void pendingJobWithNothingSetHasEmptyParametersAndResultsAndNoOptionalElements() throws IOException {
        Element root = Dom.parse(job(UwsFixtures.job("pending-nils"))).getDocumentElement();
        assertThat(children(child(root, "parameters"))).isEmpty();
        assertThat(children(child(root, "results"))).isEmpty();
        assertThat(child(root, "runId")).isNull();
        assertThat(child(root, "errorSummary")).isNull();
        assertThat(child(root, "jobInfo")).isNull();
        assertThat(text(root, "executionDuration")).isEqualTo("0");
    }

    @Test
    void parametersKeepOrderValuesAndReferenceKinds() throws IOException {
        Job j = UwsFixtures.job("pending-full");
        Element params = child(Dom.parse(job(j)).getDocumentElement(), "parameters");
        List<Element> ps = children(params);
        assertThat(ps).hasSize(j.parameters().size());
        assertThat(ps.stream().map(e -> e.getAttribute("id"))).containsExactly(
                "QUERY", "band", "band", "BAND", "tricky", "control", "empty", "id<&>\"'", "catalog", "t1");
        assertThat(ps.get(0).getTextContent()).isEqualTo("SELECT * FROM t WHERE x < 3 AND y > 'a' & \"b\"");
        assertThat(ps.subList(1, 4).stream().map(Element::getTextContent)).containsExactly("g", "r", "i");
        assertThat(ps.get(4).getTextContent()).isEqualTo(TRICKY);
        // a value XML cannot carry is given by reference (UWS 1.1 §2.1.11, CHECKLIST item 60), never altered
        assertThat(attr(ps.get(5), "byReference")).isEqualTo("true");
        assertThat(ps.get(5).getTextContent()).endsWith("/p1/parameters/control");
        assertThat(ps.get(6).getTextContent()).isEmpty();
        for (Element p : java.util.stream.Stream.concat(ps.subList(0, 5).stream(), ps.subList(6, 8).stream()).toList()) {
            assertThat(attr(p, "byReference")).as("by-value parameters carry no byReference").isNull();
        }
        assertThat(attr(ps.get(8), "byReference")).isEqualTo("true");
        assertThat(ps.get(8).getTextContent()).isEqualTo("https://example.org/cat?a=1&b=2");
        assertThat(attr(ps.get(9), "byReference")).isEqualTo("true");
        assertThat(ps.get(9).getTextContent()).isEqualTo("http://127.0.0.1:8080/uws/demo/p1/parameters/t1");
        assertThat(ps).allSatisfy(p -> assertThat(p.hasAttribute("isPost")).isFalse());
    }

    @Test
    void resultsCarryHrefSizeAndMimeTypeOnlyWhenKnown() throws IOException {
        Element results = child(Dom.parse(job(UwsFixtures.job("completed"))).getDocumentElement(), "results");
        List<Element> rs = children(results);
        assertThat(rs.stream().map(e -> e.getAttribute("id")))
                .containsExactly("result", "log", "empty", "mirror", "external");
        String base = "http://127.0.0.1:8080/uws/demo/c1/results/";
        assertThat(xlinkHref(rs.get(0))).isEqualTo(base + "result");
        assertThat(attr(rs.get(0), "size")).isEqualTo("123456789012");
        assertThat(attr(rs.get(0), "mime-type")).isEqualTo("application/x-votable+xml");
        assertThat(xlinkHref(rs.get(1))).isEqualTo(base + "log");
        assertThat(attr(rs.get(1), "size")).isNull();
        assertThat(attr(rs.get(1), "mime-type")).isNull();
        assertThat(attr(rs.get(2), "size")).isEqualTo("0");
        assertThat(xlinkHref(rs.get(3))).isEqualTo("https://cdn.example.org/x/y.fits?sig=a&b=c");
        assertThat(attr(rs.get(3), "size")).isEqualTo("2880");
        assertThat(attr(rs.get(3), "mime-type")).isEqualTo("application/fits");
        assertThat(xlinkHref(rs.get(4))).isEqualTo("ftp://archive.example.org/pub/z.dat");
        assertThat(rs).allSatisfy(r -> assertThat(r.hasChildNodes()).isFalse());
    }

    @Test
    void errorSummaryHasTypeDetailFlagAndMessageElement() throws IOException {
        Element withDetail = child(Dom.parse(job(UwsFixtures.job("error-with-detail"))).getDocumentElement(),
                "errorSummary");
        assertThat(withDetail.getAttribute("type")).isEqualTo("transient");
        assertThat(withDetail.getAttribute("hasDetail")).isEqualTo("true");
        assertThat(text(withDetail, "message")).isEqualTo("node lost: " + TRICKY + "bell" + R + "nul" + R + "esc"
                + R + "fffe" + R + "end");
        assertThat(children(withDetail)).hasSize(1);

        Element without = child(Dom.parse(job(UwsFixtures.job("error-without-detail"))).getDocumentElement(),
                "errorSummary");
        assertThat(without.getAttribute("type")).isEqualTo("fatal");
        assertThat(without.getAttribute("hasDetail")).isEqualTo("false");
        assertThat(text(without, "message")).isEqualTo("parameter RA out of range");
    }

    @Test
    void jobInfoEntriesAreUnqualifiedElementsInOrder() throws IOException {
        Element info = child(Dom.parse(job(UwsFixtures.job("executing"))).getDocumentElement(), "jobInfo");
        List<Element> entries = children(info);
        assertThat(entries.stream().map(Element::getLocalName)).containsExactly("progress", "slurmJobId");
        assertThat(entries).allSatisfy(e -> assertThat(e.getNamespaceURI()).isNull());
        assertThat(entries.stream().map(Element::getTextContent)).containsExactly("42", "123456");

        Element odd = child(Dom.parse(job(UwsFixtures.job("suspended"))).getDocumentElement(), "jobInfo");
        assertThat(children(odd).get(0).getLocalName()).isEqualTo("cluster_state");
        assertThat(children(odd).get(0).getTextContent()).isEqualTo("PREEMPTED");
    }

    @Test
    void charactersIllegalInXmlAreReplacedEverywhere() throws IOException {
        byte[] doc = job(UwsFixtures.job("control-everywhere"));
        String text = new String(doc, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\u0000", "\u0007", "\u001B", "\uFFFE");
        Element root = Dom.parse(doc).getDocumentElement();
        String cleaned = "bell" + R + "nul" + R + "esc" + R + "fffe" + R + "end";
        assertThat(text(root, "runId")).isEqualTo(cleaned);
        assertThat(text(root, "ownerId")).isEqualTo(cleaned);
        Element p = children(child(root, "parameters")).get(0);
        assertThat(p.getAttribute("id")).isEqualTo(cleaned);
        assertThat(attr(p, "byReference")).isEqualTo("true");
        assertThat(p.getTextContent()).endsWith("/parameters/bell%07nul%00esc%1Bfffe%EF%BF%BEend");
        assertThat(attr(children(child(root, "results")).get(0), "mime-type")).isEqualTo("text/plain" + cleaned);
    }

    @Test
    void carriageReturnsAndAstralCharactersSurviveARoundTrip() throws IOException {
        Element root = Dom.parse(job(UwsFixtures.job("pending-full"))).getDocumentElement();
        assertThat(text(root, "runId")).isEqualTo("run-" + TRICKY).contains("\r").contains("\uD83D\uDE00");
    }

    @Test
    void unpairedSurrogatesAreReplaced() throws IOException {
        Job j = UwsFixtures.base("sur", Phase.PENDING).runId("hi\uD800lo\uDC00end\uD83D").build();
        byte[] doc = job(j);
        UwsSchema.instance().validate(doc);
        assertThat(text(Dom.parse(doc).getDocumentElement(), "runId")).isEqualTo("hi" + R + "lo" + R + "end" + R);
    }

    @Test
    void executionDurationAboveXsIntIsCapped() throws IOException {
        Element root = Dom.parse(job(UwsFixtures.job("huge-duration"))).getDocumentElement();
        assertThat(text(root, "executionDuration")).isEqualTo(Integer.toString(Integer.MAX_VALUE));
    }

    @Test
    void outputIsUtf8WithDeclaration() throws IOException {
        String text = new String(job(UwsFixtures.job("pending-full")), StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(text).contains("日本").contains("\uD83D\uDE00");
        assertThat(text).doesNotContain("isPost");
        assertThat(xml.mediaType()).isEqualTo("application/xml");
    }

    @Test
    void stylesheetProcessingInstructionComesBeforeTheRootAndIsEscaped() throws IOException {
        UwsXml styled = UwsXml.withStylesheet("/static/uws.xsl?v=1&x=\"y\"");
        byte[] doc = job(styled, UwsFixtures.job("completed"));
        UwsSchema.instance().validate(doc);
        Document d = Dom.parse(doc);
        org.w3c.dom.Node first = d.getFirstChild();
        assertThat(first).isInstanceOf(org.w3c.dom.ProcessingInstruction.class);
        org.w3c.dom.ProcessingInstruction pi = (org.w3c.dom.ProcessingInstruction) first;
        assertThat(pi.getTarget()).isEqualTo("xml-stylesheet");
        assertThat(pi.getData()).isEqualTo("type=\"text/xsl\" href=\"/static/uws.xsl?v=1&amp;x=&quot;y&quot;\"");
        assertThat(new String(job(UwsFixtures.job("completed")), StandardCharsets.UTF_8))
                .doesNotContain("xml-stylesheet");
    }

    @Test
    void badStylesheetHrefIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> UwsXml.withStylesheet(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> UwsXml.withStylesheet("/x\u0001.xsl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0001");
    }

    @Test
    void resultsAndParametersDocumentsAreSchemaValid() throws IOException {
        for (UwsFixtures.Case c : UwsFixtures.all()) {
            ByteArrayOutputStream results = new ByteArrayOutputStream();
            xml.writeResults(c.job(), LINKS, results);
            UwsSchema.instance().validate(results.toByteArray());
            Element r = Dom.parse(results.toByteArray()).getDocumentElement();
            assertThat(r.getLocalName()).isEqualTo("results");
            assertThat(children(r)).hasSize(c.job().results().size());

            ByteArrayOutputStream params = new ByteArrayOutputStream();
            xml.writeParameters(c.job(), LINKS, params);
            UwsSchema.instance().validate(params.toByteArray());
            Element p = Dom.parse(params.toByteArray()).getDocumentElement();
            assertThat(p.getLocalName()).isEqualTo("parameters");
            assertThat(children(p)).hasSize(c.job().parameters().size());
        }
    }

    @Test
    void jobListIsVersionedAndEachJobrefFollowsTheShortDescriptionSequence() throws IOException {
        List<JobRef> refs = UwsFixtures.all().stream().map(c -> c.job().ref()).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xml.writeJobList(refs.iterator(), LINKS, out);
        UwsSchema.instance().validate(out.toByteArray());
        Element root = Dom.parse(out.toByteArray()).getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("jobs");
        assertThat(root.getAttribute("version")).isEqualTo("1.1");
        List<Element> jobrefs = children(root);
        assertThat(jobrefs).hasSize(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            JobRef ref = refs.get(i);
            Element e = jobrefs.get(i);
            assertThat(e.getLocalName()).isEqualTo("jobref");
            assertThat(e.getAttribute("id")).isEqualTo(XmlTextExpect.clean(ref.jobId()));
            assertThat(xlinkHref(e)).isEqualTo("http://127.0.0.1:8080/uws/demo/" + ref.jobId());
            List<String> expected = new ArrayList<>(List.of("phase"));
            if (ref.runId() != null) {
                expected.add("runId");
            }
            expected.addAll(List.of("ownerId", "creationTime"));
            assertThat(children(e).stream().map(Element::getLocalName)).containsExactlyElementsOf(expected);
            assertThat(text(e, "phase")).isEqualTo(ref.phase().name());
            assertThat(isNil(child(e, "ownerId"))).isEqualTo(ref.ownerId() == null);
            assertThat(text(e, "creationTime")).matches(INSTANT);
        }
    }

    /**
     * Job refs are written without the StAX writer (for speed): the bytes must be those the StAX writer wrote,
     * escapes, CRs, non-ASCII and astral characters, illegal characters and nil owners included.
     */
    @Test
    void jobRefsAreByteForByteWhatTheStaxWriterWrites() throws Exception {
        String odd = "a&b<c>d\"e'f\rg\nh\ti \u00e9\u20ac\ud83d\ude00 " + CONTROL + " \ud800x";
        List<JobRef> refs = List.of(
                new JobRef("j1", Phase.PENDING, null, null, T0),
                new JobRef("j2&<>\"", Phase.COMPLETED, odd, odd, Instant.parse("2026-02-28T23:59:59.999999Z")),
                new JobRef("j3", Phase.ERROR, "", "", Instant.parse("1970-01-01T00:00:00Z")),
                new JobRef("j4", Phase.ARCHIVED, "r", "o", null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xml.writeJobList(refs.iterator(), LINKS, out);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        javax.xml.stream.XMLStreamWriter w = javax.xml.stream.XMLOutputFactory.newDefaultFactory()
                .createXMLStreamWriter(expected, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeStartElement("uws", "jobs", UwsXml.UWS_NS);
        w.writeNamespace("uws", UwsXml.UWS_NS);
        w.writeNamespace("xlink", UwsXml.XLINK_NS);
        w.writeNamespace("xsi", UwsXml.XSI_NS);
        w.writeAttribute("version", UwsXml.UWS_VERSION);
        for (JobRef r : refs) {
            w.writeStartElement("uws", "jobref", UwsXml.UWS_NS);
            w.writeAttribute("id", XmlTextExpect.clean(r.jobId()));
            w.writeAttribute("xlink", UwsXml.XLINK_NS, "type", "simple");
            w.writeAttribute("xlink", UwsXml.XLINK_NS, "href", XmlTextExpect.clean(LINKS.job(r.jobId())));
            staxElement(w, "phase", r.phase().name());
            if (r.runId() != null) {
                staxElement(w, "runId", r.runId());
            }
            if (r.ownerId() == null) {
                w.writeEmptyElement("uws", "ownerId", UwsXml.UWS_NS);
                w.writeAttribute("xsi", UwsXml.XSI_NS, "nil", "true");
            } else {
                staxElement(w, "ownerId", r.ownerId());
            }
            if (r.creationTime() != null) {
                staxElement(w, "creationTime", org.uwskit.Instants.format(r.creationTime()));
            }
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndDocument();
        w.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
        UwsSchema.instance().validate(out.toByteArray());
    }

    private static void staxElement(javax.xml.stream.XMLStreamWriter w, String name, String value)
            throws Exception {
        w.writeStartElement("uws", name, UwsXml.UWS_NS);
        String s = XmlTextExpect.clean(value);
        int from = 0;
        for (int i = s.indexOf('\r'); i >= 0; i = s.indexOf('\r', from)) {
            if (i > from) {
                w.writeCharacters(s.substring(from, i));
            }
            w.writeEntityRef("#13");
            from = i + 1;
        }
        if (from < s.length()) {
            w.writeCharacters(s.substring(from));
        }
        w.writeEndElement();
    }

    @Test
    void emptyJobListIsValid() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        xml.writeJobList(List.<JobRef>of().iterator(), LINKS, out);
        UwsSchema.instance().validate(out.toByteArray());
        assertThat(children(Dom.parse(out.toByteArray()).getDocumentElement())).isEmpty();
    }

    /** Produces refs on demand and records how many bytes had reached the stream when it was half consumed. */
    static final class LazyRefs implements Iterator<JobRef> {
        final int count;
        final CountingStream sink;
        int produced;
        long bytesAtHalf = -1;

        LazyRefs(int count, CountingStream sink) {
            this.count = count;
            this.sink = sink;
        }

        @Override
        public boolean hasNext() {
            return produced < count;
        }

        @Override
        public JobRef next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (produced == count / 2) {
                bytesAtHalf = sink.count;
            }
            int i = produced++;
            return new JobRef("job" + i, Phase.values()[i % Phase.values().length], i % 3 == 0 ? "run" + i : null,
                    i % 2 == 0 ? "owner" + i : null, Instant.ofEpochSecond(1_700_000_000L + i));
        }
    }

    static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        long count;
        boolean closed;

        @Override
        public void write(int b) {
            copy.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void jobListIsStreamedWhileTheIteratorIsConsumed() throws IOException {
        CountingStream sink = new CountingStream();
        LazyRefs refs = new LazyRefs(20_000, sink);
        xml.writeJobList(refs, LINKS, sink);
        assertThat(refs.produced).isEqualTo(20_000);
        // half of 20,000 jobrefs is ~2 MB: far beyond any writer buffer, so it must already have been written
        assertThat(refs.bytesAtHalf).isGreaterThan(500_000);
        assertThat(sink.closed).as("the serializer must not close the stream").isFalse();
        UwsSchema.instance().validate(sink.copy.toByteArray());
        assertThat(children(Dom.parse(sink.copy.toByteArray()).getDocumentElement())).hasSize(20_000);
    }

    @Test
    void aFailingIteratorPropagatesAndLeavesTheListUnfinished() {
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
        assertThatThrownBy(() -> xml.writeJobList(failing, LINKS, out))
                .isInstanceOf(StoreUnavailableException.class);
        String partial = out.toString(StandardCharsets.UTF_8);
        assertThat(partial).contains("j2").doesNotContain("</uws:jobs>");
        assertThatThrownBy(() -> UwsSchema.instance().validate(out.toByteArray()))
                .isInstanceOf(InvalidUwsDocumentException.class);
    }

    @Test
    void theStreamIsFlushedButNotClosed() throws IOException {
        CountingStream sink = new CountingStream();
        xml.writeJob(UwsFixtures.job("completed"), LINKS, sink);
        assertThat(sink.closed).isFalse();
        assertThat(sink.count).isPositive();
        UwsSchema.instance().validate(sink.copy.toByteArray());
    }

    @Test
    void aFailingStreamSurfacesAsIoException() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("client went away");
            }
        };
        assertThatThrownBy(() -> xml.writeJob(UwsFixtures.job("completed"), LINKS, broken))
                .isInstanceOf(IOException.class);
    }

    @Test
    void oneInstanceServesConcurrentWriters() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "uws-xml-test"));
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Job j = UwsFixtures.all().get(i % UwsFixtures.all().size()).job();
                futures.add(pool.submit(() -> job(j)));
            }
            for (int i = 0; i < futures.size(); i++) {
                byte[] doc = futures.get(i).get(30, TimeUnit.SECONDS);
                assertThat(doc).isEqualTo(job(UwsFixtures.all().get(i % UwsFixtures.all().size()).job()));
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void everyDocumentDeclaresOnlyTheExpectedNamespaces() throws IOException {
        String text = new String(job(UwsFixtures.job("completed")), StandardCharsets.UTF_8);
        Set<String> declared = Pattern.compile("xmlns:(\\w+)=").matcher(text).results()
                .map(m -> m.group(1)).collect(Collectors.toSet());
        assertThat(declared).containsExactlyInAnyOrder("uws", "xlink", "xsi");
    }

    /** The replacement rule, spelled out independently of the implementation. */
    static final class XmlTextExpect {
        static String clean(String s) {
            StringBuilder b = new StringBuilder();
            s.codePoints().forEach(c -> {
                boolean ok = c == 9 || c == 10 || c == 13 || (c >= 0x20 && c <= 0xD7FF)
                        || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                b.appendCodePoint(ok ? c : 0xFFFD);
            });
            return b.toString();
        }
    }

    @Test
    void controlConstantReallyContainsIllegalCharacters() {
        assertThat(XmlTextExpect.clean(CONTROL)).isNotEqualTo(CONTROL);
    }
}
