package org.uwskit.benchmarks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.uwskit.JobRef;
import org.uwskit.json.UwsJson;
import org.uwskit.xml.UwsXml;

/**
 * Streaming a job list of {@link #refs} job refs from a lazy iterator: {@link UwsXml#writeJobList} against raw StAX
 * writing the same elements, and {@link UwsJson#writeJobList} against a raw Jackson generator writing the same
 * fields. Output goes to a counting sink, so the figures are the serializers' own cost; the baselines produce the
 * same bytes (checked by the smoke test) but skip uwskit's null checks and character cleaning.
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} per operation divided by {@link #refs} is the garbage per
 * ref, and with {@code -p refs=1000000 -jvmArgsAppend -Xmx32m} the list still streams, which a serializer holding
 * the list could not do. Each operation returns the byte count; the state is per benchmark and read-only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JobListStreamingBenchmark {
    /** Job refs per document. */
    @Param("100000")
    public int refs;

    private final UwsXml uwsXml = UwsXml.create();
    private final UwsJson uwsJson = UwsJson.create();
    private final XMLOutputFactory staxFactory = XMLOutputFactory.newDefaultFactory();
    private final JsonFactory jsonFactory = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
            .build();

    /** uwskit's XML job list. */
    @Benchmark
    public long uwsXml() throws IOException {
        Fixtures.CountingOutputStream out = new Fixtures.CountingOutputStream();
        uwsXml.writeJobList(Fixtures.lazyRefs(refs), Fixtures.LINKS, out);
        return out.count();
    }

    /** Baseline: the same document written directly with the JDK's StAX writer. */
    @Benchmark
    public long baselineRawStax() throws IOException, XMLStreamException {
        Fixtures.CountingOutputStream out = new Fixtures.CountingOutputStream();
        writeRawStax(Fixtures.lazyRefs(refs), out);
        return out.count();
    }

    /** uwskit's JSON job list. */
    @Benchmark
    public long uwsJson() throws IOException {
        Fixtures.CountingOutputStream out = new Fixtures.CountingOutputStream();
        uwsJson.writeJobList(Fixtures.lazyRefs(refs), Fixtures.LINKS, out);
        return out.count();
    }

    /** Baseline: the same document written directly with a Jackson streaming generator. */
    @Benchmark
    public long baselineRawJackson() throws IOException {
        Fixtures.CountingOutputStream out = new Fixtures.CountingOutputStream();
        writeRawJackson(Fixtures.lazyRefs(refs), out);
        return out.count();
    }

    void writeRawStax(Iterator<JobRef> jobs, OutputStream out) throws XMLStreamException, IOException {
        String uws = UwsXml.UWS_NS;
        String xlink = UwsXml.XLINK_NS;
        String xsi = UwsXml.XSI_NS;
        XMLStreamWriter w = staxFactory.createXMLStreamWriter(out, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeStartElement("uws", "jobs", uws);
        w.writeNamespace("uws", uws);
        w.writeNamespace("xlink", xlink);
        w.writeNamespace("xsi", xsi);
        w.writeAttribute("version", "1.1");
        String base = Fixtures.JOB_LIST_URL + "/";
        while (jobs.hasNext()) {
            JobRef ref = jobs.next();
            w.writeStartElement("uws", "jobref", uws);
            w.writeAttribute("id", ref.jobId());
            w.writeAttribute("xlink", xlink, "type", "simple");
            w.writeAttribute("xlink", xlink, "href", base + ref.jobId());
            staxElement(w, "phase", ref.phase().name());
            if (ref.runId() != null) {
                staxElement(w, "runId", ref.runId());
            }
            if (ref.ownerId() == null) {
                w.writeEmptyElement("uws", "ownerId", uws);
                w.writeAttribute("xsi", xsi, "nil", "true");
            } else {
                staxElement(w, "ownerId", ref.ownerId());
            }
            staxElement(w, "creationTime", Fixtures.INSTANT_FORMAT.format(ref.creationTime()));
            w.writeEndElement();
        }
        w.writeEndElement();
        w.writeEndDocument();
        w.flush();
        w.close();
        out.flush();
    }

    private static void staxElement(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement("uws", name, UwsXml.UWS_NS);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    void writeRawJackson(Iterator<JobRef> jobs, OutputStream out) throws IOException {
        String base = Fixtures.JOB_LIST_URL + "/";
        try (JsonGenerator g = jsonFactory.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("version", "1.1");
            g.writeArrayFieldStart("jobs");
            while (jobs.hasNext()) {
                JobRef ref = jobs.next();
                g.writeStartObject();
                g.writeStringField("jobId", ref.jobId());
                g.writeStringField("href", base + ref.jobId());
                g.writeStringField("phase", ref.phase().name());
                nullableField(g, "runId", ref.runId());
                nullableField(g, "ownerId", ref.ownerId());
                g.writeStringField("creationTime", Fixtures.INSTANT_FORMAT.format(ref.creationTime()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.flush();
    }

    private static void nullableField(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
