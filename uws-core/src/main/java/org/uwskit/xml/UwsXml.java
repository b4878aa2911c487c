package org.uwskit.xml;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.uwskit.ErrorSummary;
import org.uwskit.Instants;
import org.uwskit.Job;
import org.uwskit.JobRef;
import org.uwskit.Parameter;
import org.uwskit.Result;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.StreamingJobSerializer;
import org.uwskit.xml.internal.BufferedBytes;
import org.uwskit.xml.internal.XmlOut;
import org.uwskit.xml.internal.XmlText;

/**
 * Writes the UWS 1.1 XML documents ({@code <uws:job>}, {@code <uws:jobs>}, {@code <uws:results>},
 * {@code <uws:parameters>}) that the official schema (bundled, see {@link UwsSchema}) describes.
 *
 * <p>Output is UTF-8 XML 1.0 in the namespace {@value #UWS_NS} with the prefix {@code uws}; {@code version="1.1"}
 * is set on {@code <uws:job>} and {@code <uws:jobs>}. Elements follow the schema's sequences exactly. Absent
 * ownerId, quote, startTime, endTime and destruction are written as {@code xsi:nil="true"}; instants use
 * {@link Instants#format} (UTC, {@code Z}).
 *
 * <p>Text that XML 1.0 cannot carry (C0 control characters other than tab, LF and CR, U+FFFE, U+FFFF, unpaired
 * surrogates) is replaced by U+FFFD, so any job produces a well-formed, schema-valid document. A CR in element
 * content is written as {@code &#13;} so that parsers keep it; in attribute values (ids, hrefs, MIME types)
 * tab, CR and LF are read back as spaces, as XML attribute normalisation requires.
 *
 * <ul>
 *   <li>Parameters: one {@code <uws:parameter id="name">} per value, in order. An inline upload is written
 *       {@code byReference="true"} with {@link JobLinks#parameter} as content; another by-reference parameter with
 *       its URI as content; a by-value parameter without {@code byReference}, unless its value holds a character
 *       XML 1.0 cannot carry: then it too is given by reference to {@link JobLinks#parameter} (UWS 1.1 §2.1.11). {@code isPost} is never written.</li>
 *   <li>Results: {@code id}, {@code xlink:type="simple"}, {@code xlink:href} ({@link JobLinks#result} for stored
 *       results, the external location otherwise), {@code size} when known (&ge; 0), {@code mime-type} when
 *       known.</li>
 *   <li>jobInfo (only when not empty): one child element per entry in no namespace, named by the key (made an
 *       NCName if it is not one), with the value as text. The schema's {@code xs:any namespace="##any"
 *       processContents="lax"} accepts such elements without declarations.</li>
 *   <li>executionDuration is an {@code xs:int}: values above {@link Integer#MAX_VALUE} seconds (68 years) are
 *       written as {@link Integer#MAX_VALUE}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. Each method writes one document to the stream, flushes it and does not close it.
 * A job list is written while the iterator is consumed, never collected first; if the iterator throws, the exception
 * propagates and the document is left unfinished (so a client cannot mistake it for a complete list).
 * {@link IOException} is thrown when the stream fails.
 */
public final class UwsXml extends StreamingJobSerializer<XmlOut> {
    /** The UWS namespace, unchanged since UWS 1.0. */
    public static final String UWS_NS = "http://www.ivoa.net/xml/UWS/v1.0";
    /** The XLink namespace used for {@code xlink:href}. */
    public static final String XLINK_NS = "http://www.w3.org/1999/xlink";
    /** The XML Schema instance namespace used for {@code xsi:nil}. */
    public static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    /** The protocol version written on {@code <uws:job>} and {@code <uws:jobs>}. */
    public static final String UWS_VERSION = "1.1";
    /** The media type written. */
    public static final String MEDIA_TYPE = "application/xml";

    private final String stylesheetPi;
    /**
     * The JDK's own implementation, whatever StAX provider is on the class path, so output is the same everywhere.
     * A factory is not thread-safe, and one shared behind a lock was where concurrent requests queued (the most
     * contended monitor under load): one per thread instead (a JDK object, so a container thread keeps no
     * application class alive through it).
     */
    private static final ThreadLocal<XMLOutputFactory> FACTORY =
            ThreadLocal.withInitial(XMLOutputFactory::newDefaultFactory);

    private UwsXml(String stylesheetPi) {
        this.stylesheetPi = stylesheetPi;
    }

    /** A serializer that writes plain documents. */
    public static UwsXml create() {
        return new UwsXml(null);
    }

    /**
     * A serializer that starts every document with {@code <?xml-stylesheet type="text/xsl" href="…"?>}, so that
     * browsers render the XML through the stylesheet (UWS 1.1 §2.2.2). The stylesheet should handle all four UWS
     * root elements.
     *
     * @param href the stylesheet URL, absolute or relative to the document; {@code & < > "} are escaped
     * @throws IllegalArgumentException if {@code href} is blank or contains a character XML cannot carry
     */
    public static UwsXml withStylesheet(String href) {
        Objects.requireNonNull(href, "href");
        if (href.isBlank()) {
            throw new IllegalArgumentException("stylesheet href must not be blank");
        }
        if (!XmlText.clean(href).equals(href)) {
            throw new IllegalArgumentException("stylesheet href contains a character that XML 1.0 cannot carry: "
                    + href.codePoints().filter(c -> !XmlText.isXmlChar(c)).mapToObj(c -> String.format("U+%04X", c))
                    .findFirst().orElse("?"));
        }
        String escaped = href.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        return new UwsXml("type=\"text/xsl\" href=\"" + escaped + "\"");
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    // ---------------------------------------------------------------- the parts of StreamingJobSerializer

    @Override
    protected XmlOut open(OutputStream out) throws IOException {
        // the StAX writer sends its UTF-8 bytes one at a time: buffer them (release writes the buffer on)
        BufferedBytes raw = new BufferedBytes(out);
        try {
            return new XmlOut(FACTORY.get().createXMLStreamWriter(raw, "UTF-8"), raw);
        } catch (XMLStreamException e) {
            throw asIo(e);
        }
    }

    @Override
    protected void begin(XmlOut o) throws XMLStreamException {
        XMLStreamWriter w = o.xml();
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        if (stylesheetPi != null) {
            w.writeProcessingInstruction("xml-stylesheet", stylesheetPi);
            w.writeCharacters("\n");
        }
    }

    @Override
    protected void end(XmlOut o) throws XMLStreamException {
        o.xml().writeEndDocument();
    }

    @Override
    protected void release(XmlOut o, OutputStream out, boolean complete, Throwable failure)
            throws IOException {
        try {
            // close() never closes the underlying stream (StAX contract) and does not end open elements
            o.xml().flush();
            o.xml().close();
        } catch (XMLStreamException e) {
            if (complete) {
                throw asIo(e);
            }
        }
        if (complete) {
            o.raw().drain();
            out.flush();
            return;
        }
        try {
            o.raw().drain(); // what was written before the failure, as an unbuffered writer would have left it
        } catch (IOException suppressed) {
            if (failure != null) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    @Override
    protected IOException asIOException(Exception e) {
        return e instanceof XMLStreamException x ? asIo(x) : new IOException("cannot write UWS XML: " + e, e);
    }

    @Override
    protected void job(XmlOut o, Job job, JobLinks links) throws XMLStreamException {
        XMLStreamWriter w = o.xml();
        startRoot(w, "job", true);
        element(w, "jobId", job.jobId());
        if (job.runId() != null) {
            element(w, "runId", job.runId());
        }
        nillable(w, "ownerId", job.ownerId());
        element(w, "phase", job.phase().name());
        nillableInstant(w, "quote", job.quote());
        element(w, "creationTime", Instants.format(job.creationTime()));
        nillableInstant(w, "startTime", job.startTime());
        nillableInstant(w, "endTime", job.endTime());
        element(w, "executionDuration", Long.toString(Math.min(job.executionDuration(), Integer.MAX_VALUE)));
        nillableInstant(w, "destruction", job.destruction());
        parameters(w, job, links, false);
        results(w, job, links, false);
        if (job.error() != null) {
            errorSummary(w, job.error());
        }
        if (!job.jobInfo().isEmpty()) {
            w.writeStartElement("uws", "jobInfo", UWS_NS);
            for (Map.Entry<String, String> e : job.jobInfo().entrySet()) {
                w.writeStartElement(XmlText.toNcName(e.getKey()));
                text(w, e.getValue() == null ? "" : e.getValue());
                w.writeEndElement();
            }
            w.writeEndElement();
        }
        w.writeEndElement();
    }

    @Override
    protected void startJobList(XmlOut o) throws XMLStreamException {
        startRoot(o.xml(), "jobs", true);
        o.toRaw();
    }

    /**
     * Written raw, byte for byte what the StAX writer wrote before: a job list holds thousands of these, and the
     * JDK writer's namespace lookups and per-character escaping were most of the time of a long list.
     */
    @Override
    protected void jobRef(XmlOut o, JobRef ref, JobLinks links) throws IOException {
        o.markup("<uws:jobref id=\"");
        o.escaped(XmlText.clean(ref.jobId()), true);
        o.markup("\" xlink:type=\"simple\" xlink:href=\"");
        o.escaped(XmlText.clean(links.job(ref.jobId())), true);
        o.markup("\"><uws:phase>");
        o.markup(ref.phase().name());
        o.markup("</uws:phase>");
        if (ref.runId() != null) {
            o.markup("<uws:runId>");
            o.escaped(XmlText.clean(ref.runId()), false);
            o.markup("</uws:runId>");
        }
        if (ref.ownerId() == null) {
            o.markup("<uws:ownerId xsi:nil=\"true\"/>");
        } else {
            o.markup("<uws:ownerId>");
            o.escaped(XmlText.clean(ref.ownerId()), false);
            o.markup("</uws:ownerId>");
        }
        if (ref.creationTime() != null) {
            o.markup("<uws:creationTime>");
            o.markup(Instants.format(ref.creationTime()));
            o.markup("</uws:creationTime>");
        }
        o.markup("</uws:jobref>");
    }

    @Override
    protected void endJobList(XmlOut o) throws XMLStreamException {
        o.xml().writeEndElement();
    }

    @Override
    protected void results(XmlOut o, Job job, JobLinks links) throws XMLStreamException {
        results(o.xml(), job, links, true);
    }

    @Override
    protected void parameters(XmlOut o, Job job, JobLinks links) throws XMLStreamException {
        parameters(o.xml(), job, links, true);
    }

    @Override
    public String toString() {
        return "UwsXml[" + (stylesheetPi == null ? "no stylesheet" : stylesheetPi) + "]";
    }

    private static IOException asIo(XMLStreamException e) {
        Throwable c = e.getNestedException() != null ? e.getNestedException() : e.getCause();
        if (c instanceof IOException io) {
            return io;
        }
        return new IOException("cannot write UWS XML: " + e.getMessage(), e);
    }

    private static void startRoot(XMLStreamWriter w, String name, boolean versioned) throws XMLStreamException {
        w.writeStartElement("uws", name, UWS_NS);
        w.writeNamespace("uws", UWS_NS);
        w.writeNamespace("xlink", XLINK_NS);
        w.writeNamespace("xsi", XSI_NS);
        if (versioned) {
            w.writeAttribute("version", UWS_VERSION);
        }
    }

    /** {@code <uws:parameters>}, the root of its own document or inside {@code <uws:job>}. */
    private static void parameters(XMLStreamWriter w, Job job, JobLinks links, boolean root)
            throws XMLStreamException {
        if (root) {
            startRoot(w, "parameters", false);
        } else {
            w.writeStartElement("uws", "parameters", UWS_NS);
        }
        parameterList(w, job, links);
        w.writeEndElement();
    }

    private static void parameterList(XMLStreamWriter w, Job job, JobLinks links) throws XMLStreamException {
        for (Parameter p : job.parameters()) {
            w.writeStartElement("uws", "parameter", UWS_NS);
            w.writeAttribute("id", XmlText.clean(p.name()));
            if (p.upload() != null) {
                w.writeAttribute("byReference", "true");
                text(w, links.parameter(job.jobId(), p.name()));
            } else if (p.byReference()) {
                w.writeAttribute("byReference", "true");
                text(w, p.value());
            } else if (p.value().codePoints().allMatch(XmlText::isXmlChar)) {
                text(w, p.value());
            } else {
                // UWS 1.1 §2.1.11 (CHECKLIST item 60): a value XML cannot carry is given by reference; the HTTP
                // layer serves the exact value at /parameters/{name}
                w.writeAttribute("byReference", "true");
                text(w, links.parameter(job.jobId(), p.name()));
            }
            w.writeEndElement();
        }
    }

    /** {@code <uws:results>}, the root of its own document or inside {@code <uws:job>}. */
    private static void results(XMLStreamWriter w, Job job, JobLinks links, boolean root) throws XMLStreamException {
        if (root) {
            startRoot(w, "results", false);
        } else {
            w.writeStartElement("uws", "results", UWS_NS);
        }
        resultList(w, job, links);
        w.writeEndElement();
    }

    private static void resultList(XMLStreamWriter w, Job job, JobLinks links) throws XMLStreamException {
        for (Result r : job.results()) {
            w.writeEmptyElement("uws", "result", UWS_NS);
            w.writeAttribute("id", XmlText.clean(r.id()));
            w.writeAttribute("xlink", XLINK_NS, "type", "simple");
            String href = r.isStored() ? links.result(job.jobId(), r.id()) : r.location().toString();
            w.writeAttribute("xlink", XLINK_NS, "href", XmlText.clean(href));
            if (r.size() >= 0) {
                w.writeAttribute("size", Long.toString(r.size()));
            }
            if (r.mimeType() != null) {
                w.writeAttribute("mime-type", XmlText.clean(r.mimeType()));
            }
        }
    }

    private static void errorSummary(XMLStreamWriter w, ErrorSummary e) throws XMLStreamException {
        w.writeStartElement("uws", "errorSummary", UWS_NS);
        w.writeAttribute("type", e.type().wireName());
        w.writeAttribute("hasDetail", Boolean.toString(e.hasDetail()));
        element(w, "message", e.message());
        w.writeEndElement();
    }

    private static void element(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement("uws", name, UWS_NS);
        text(w, value);
        w.writeEndElement();
    }

    private static void nillable(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        if (value == null) {
            w.writeEmptyElement("uws", name, UWS_NS);
            w.writeAttribute("xsi", XSI_NS, "nil", "true");
        } else {
            element(w, name, value);
        }
    }

    private static void nillableInstant(XMLStreamWriter w, String name, Instant value) throws XMLStreamException {
        nillable(w, name, value == null ? null : Instants.format(value));
    }

    /** Writes text content, cleaned, with each CR as a character reference (a literal CR would be read as LF). */
    private static void text(XMLStreamWriter w, String value) throws XMLStreamException {
        String s = XmlText.clean(value);
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
    }
}
