package org.uwskit.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import org.uwskit.ErrorSummary;
import org.uwskit.Instants;
import org.uwskit.Job;
import org.uwskit.JobRef;
import org.uwskit.Parameter;
import org.uwskit.Result;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.StreamingJobSerializer;

/**
 * Writes UWS documents as JSON ({@value #MEDIA_TYPE}) with the same content as {@link org.uwskit.xml.UwsXml}; the
 * format is described field by field in the {@linkplain org.uwskit.json package documentation}. UWS 1.1 defines
 * no JSON representation: this one is uwskit's own.
 *
 * <p>Uses Jackson's streaming generator (no data binding). Immutable and thread-safe. Each method writes one
 * document, flushes it and does not close the stream. A job list is written while the iterator is consumed, never
 * collected first; if the iterator throws, the exception propagates and the document is left unfinished rather than
 * closed into valid-looking JSON. {@link IOException} is thrown when the stream fails.
 */
public final class UwsJson extends StreamingJobSerializer<JsonGenerator> {
    /** The media type written. */
    public static final String MEDIA_TYPE = "application/json";
    /** The value of the {@code version} field of job and job-list documents. */
    public static final String UWS_VERSION = "1.1";

    private final JsonFactory factory;

    private UwsJson() {
        this.factory = JsonFactory.builder()
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
                .build();
    }

    /** A serializer writing compact JSON. */
    public static UwsJson create() {
        return new UwsJson();
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    // ---------------------------------------------------------------- the parts of StreamingJobSerializer

    @Override
    protected JsonGenerator open(OutputStream out) throws IOException {
        return factory.createGenerator(out, JsonEncoding.UTF8);
    }

    @Override
    protected void release(JsonGenerator g, OutputStream out, boolean complete, Throwable failure)
            throws IOException {
        if (complete) {
            g.close();
            out.flush();
            return;
        }
        // AUTO_CLOSE_CONTENT is off: close() leaves the interrupted document unfinished and the stream open
        try {
            g.close();
        } catch (IOException | RuntimeException suppressed) {
            if (failure != null) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    @Override
    protected IOException asIOException(Exception e) {
        return new IOException("cannot write UWS JSON: " + e, e);
    }

    @Override
    protected void job(JsonGenerator g, Job job, JobLinks links) throws IOException {
        g.writeStartObject();
        g.writeStringField("version", UWS_VERSION);
        string(g, "jobId", job.jobId());
        string(g, "runId", job.runId());
        string(g, "ownerId", job.ownerId());
        g.writeStringField("phase", job.phase().name());
        instant(g, "quote", job.quote());
        instant(g, "creationTime", job.creationTime());
        instant(g, "startTime", job.startTime());
        instant(g, "endTime", job.endTime());
        g.writeNumberField("executionDuration", job.executionDuration());
        instant(g, "destruction", job.destruction());
        g.writeFieldName("parameters");
        parameterArray(g, job, links);
        g.writeFieldName("results");
        resultArray(g, job, links);
        g.writeFieldName("errorSummary");
        errorSummary(g, job.error());
        g.writeObjectFieldStart("jobInfo");
        for (Map.Entry<String, String> e : job.jobInfo().entrySet()) {
            string(g, clean(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    protected void startJobList(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("version", UWS_VERSION);
        g.writeArrayFieldStart("jobs");
    }

    @Override
    protected void jobRef(JsonGenerator g, JobRef ref, JobLinks links) throws IOException {
        g.writeStartObject();
        string(g, "jobId", ref.jobId());
        string(g, "href", links.job(ref.jobId()));
        g.writeStringField("phase", ref.phase().name());
        string(g, "runId", ref.runId());
        string(g, "ownerId", ref.ownerId());
        instant(g, "creationTime", ref.creationTime());
        g.writeEndObject();
    }

    @Override
    protected void endJobList(JsonGenerator g) throws IOException {
        g.writeEndArray();
        g.writeEndObject();
    }

    @Override
    protected void results(JsonGenerator g, Job job, JobLinks links) throws IOException {
        g.writeStartObject();
        g.writeFieldName("results");
        resultArray(g, job, links);
        g.writeEndObject();
    }

    @Override
    protected void parameters(JsonGenerator g, Job job, JobLinks links) throws IOException {
        g.writeStartObject();
        g.writeFieldName("parameters");
        parameterArray(g, job, links);
        g.writeEndObject();
    }

    @Override
    public String toString() {
        return "UwsJson";
    }

    private static void parameterArray(JsonGenerator g, Job job, JobLinks links) throws IOException {
        g.writeStartArray();
        for (Parameter p : job.parameters()) {
            g.writeStartObject();
            string(g, "id", p.name());
            if (p.upload() != null) {
                string(g, "value", links.parameter(job.jobId(), p.name()));
                g.writeBooleanField("byReference", true);
            } else {
                string(g, "value", p.value());
                g.writeBooleanField("byReference", p.byReference());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void resultArray(JsonGenerator g, Job job, JobLinks links) throws IOException {
        g.writeStartArray();
        for (Result r : job.results()) {
            g.writeStartObject();
            string(g, "id", r.id());
            string(g, "href", r.isStored() ? links.result(job.jobId(), r.id()) : r.location().toString());
            string(g, "mimeType", r.mimeType());
            if (r.size() >= 0) {
                g.writeNumberField("size", r.size());
            } else {
                g.writeNullField("size");
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void errorSummary(JsonGenerator g, ErrorSummary e) throws IOException {
        if (e == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("type", e.type().wireName());
        g.writeBooleanField("hasDetail", e.hasDetail());
        string(g, "message", e.message());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, clean(value));
        }
    }

    private static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Instants.format(value));
        }
    }

    /**
     * Replaces unpaired surrogates, which no UTF-8 encoder can write, by U+FFFD. Every other character, including
     * controls, is kept: JSON escapes them.
     */
    static String clean(String s) {
        int n = s.length();
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean lone;
            if (Character.isHighSurrogate(c)) {
                lone = i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!lone) {
                    if (b != null) {
                        b.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                lone = Character.isLowSurrogate(c);
            }
            if (lone && b == null) {
                b = new StringBuilder(n).append(s, 0, i);
            }
            if (b != null) {
                b.append(lone ? '\uFFFD' : c);
            }
        }
        return b == null ? s : b.toString();
    }
}
