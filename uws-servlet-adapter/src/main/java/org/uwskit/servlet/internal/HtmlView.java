package org.uwskit.servlet.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.util.Iterator;
import java.util.NoSuchElementException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.Source;
import javax.xml.transform.Templates;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRef;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobSerializer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * Server-side rendering of UWS documents as HTML5 pages with the bundled {@code uws.xsl} (CHECKLIST item 18), for
 * browsers that prefer {@code text/html}: browsers are dropping client-side XSLT, so the stylesheet instruction alone
 * no longer gives them a page. The stylesheet is compiled once ({@link Templates} is thread-safe); each document
 * gets its own {@link Transformer}. The JDK's built-in XSLT processor is used whatever else is on the class path.
 *
 * <p>XSLT needs the whole source document, so a document is written to memory first; a job list page is therefore
 * cut after {@code maxJobs} jobs and says so.
 *
 * <p>A job list page rendered for a known {@link JobList} ({@link #forList}) gets a creation form with one field per
 * declared parameter, usable without JavaScript: the document transformed here (never the one served, which stays
 * schema-valid) gets a last child {@code f:definitions} ({@value #FORM_NS}) describing the job definitions. Without
 * it (client-side XSLT in a browser) the stylesheet shows the free-text parameter box instead.
 */
public final class HtmlView {
    /** The class-path resource of the stylesheet. */
    public static final String XSL_RESOURCE = "/org/uwskit/servlet/uws.xsl";
    /** The media type of the pages. */
    public static final String MEDIA_TYPE = "text/html";

    /** The namespace of the job definitions' description added to job list documents before the transform. */
    public static final String FORM_NS = "urn:uwskit:html-form";

    private final Templates templates;

    private HtmlView(Templates templates) {
        this.templates = templates;
    }

    /**
     * Compiles the bundled stylesheet.
     *
     * @throws IllegalStateException if it is missing or does not compile (a packaging bug)
     */
    public static HtmlView load() {
        URL url = HtmlView.class.getResource(XSL_RESOURCE);
        if (url == null) {
            throw new IllegalStateException(XSL_RESOURCE + " is missing from the class path");
        }
        TransformerFactory f = TransformerFactory.newDefaultInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
        } catch (TransformerConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK XSLT processor refuses secure processing: " + e.getMessage(), e);
        }
        try (InputStream in = url.openStream()) {
            return new HtmlView(f.newTemplates(new StreamSource(in, url.toExternalForm())));
        } catch (IOException | TransformerException e) {
            throw new IllegalStateException("cannot compile " + XSL_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * A serializer that writes HTML pages: {@code xml} writes the UWS document (without a stylesheet instruction),
     * which is then transformed. Thread-safe if {@code xml} is.
     *
     * @param maxJobs the most jobs shown on a job list page (≥ 1)
     */
    public JobSerializer serializer(JobSerializer xml, int maxJobs) {
        return new Pages(xml, maxJobs, null);
    }

    /**
     * The serializer {@code s} made by {@link #serializer} again, now rendering the creation form of job list pages
     * from {@code list}'s job definitions; any other serializer is returned unchanged.
     */
    public static JobSerializer forList(JobSerializer s, JobList list) {
        if (s instanceof Pages p) {
            return p.view().new Pages(p.xml, p.maxJobs, list);
        }
        return s;
    }

    /**
     * The description of {@code list}'s job definitions for the stylesheet, created in {@code d} (not inserted):
     * {@code <f:definitions list="…" selector="…">} (selector only with several job types) with one
     * {@code <f:definition name="…" description="…" strict="…">} per job type holding one {@code <parameter>} per
     * declared parameter (attributes name, type, required, default, min, max, unit, description, multiple;
     * {@code <f:option>} children for ENUMERATED).
     */
    static Element definitions(JobList list, Document d) {
        Element root = d.createElementNS(FORM_NS, "f:definitions");
        root.setAttribute("list", list.name());
        if (list.definitions().size() > 1) {
            root.setAttribute("selector", list.selector());
        }
        for (JobDefinition jd : list.definitions().values()) {
            Element de = d.createElementNS(FORM_NS, "f:definition");
            de.setAttribute("name", jd.name());
            attr(de, "description", jd.description());
            de.setAttribute("strict", Boolean.toString(jd.strict()));
            root.appendChild(de);
            for (ParameterDefinition p : jd.parameters().values()) {
                if (list.isSelector(p.name())) {
                    continue;
                }
                Element pe = d.createElementNS(FORM_NS, "f:parameter");
                pe.setAttribute("name", p.name());
                pe.setAttribute("type", p.type().name());
                pe.setAttribute("required", Boolean.toString(p.required()));
                // a BOOLEAN default may be spelled yes/1/t: the form's options are true and false
                attr(pe, "default", p.defaultValue() != null && p.type() == ParameterType.BOOLEAN
                        ? p.parse(p.defaultValue()).toString() : p.defaultValue());
                attr(pe, "min", p.min() == null ? null : number(p.min()));
                attr(pe, "max", p.max() == null ? null : number(p.max()));
                attr(pe, "unit", p.unit());
                attr(pe, "description", p.description());
                if (p.maxOccurs() > 1) {
                    pe.setAttribute("multiple", "true");
                }
                for (String o : p.options()) {
                    Element oe = d.createElementNS(FORM_NS, "f:option");
                    oe.setTextContent(o);
                    pe.appendChild(oe);
                }
                de.appendChild(pe);
            }
        }
        return root;
    }

    private static void attr(Element e, String name, String value) {
        if (value != null && !value.isEmpty()) {
            e.setAttribute(name, value);
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Transforms one UWS document; {@code listUrl}/{@code jobUrl} may be null, {@code truncated} is -1 if not. */
    void transform(byte[] xml, String listUrl, String jobUrl, long truncated, OutputStream out) throws IOException {
        transform(xml, listUrl, jobUrl, truncated, null, out);
    }

    /** As above; {@code list}, if not null, gives the job list page its per-parameter creation form. */
    void transform(byte[] xml, String listUrl, String jobUrl, long truncated, JobList list, OutputStream out)
            throws IOException {
        try {
            Transformer t = templates.newTransformer();
            if (listUrl != null) {
                t.setParameter("listUrl", listUrl);
            }
            if (jobUrl != null) {
                t.setParameter("jobUrl", jobUrl);
            }
            if (truncated >= 0) {
                t.setParameter("truncated", Long.toString(truncated));
            }
            Source source = new StreamSource(new ByteArrayInputStream(xml));
            if (list != null) {
                Document doc = parse(xml);
                doc.getDocumentElement().appendChild(definitions(list, doc));
                source = new DOMSource(doc);
            }
            t.transform(source, new StreamResult(out));
        } catch (TransformerException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("the HTML view failed: " + e.getMessageAndLocation(), e);
        }
    }

    private static Document parse(byte[] xml) throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the HTML view cannot read the job list document: " + e.getMessage(), e);
        }
    }

    private final class Pages implements JobSerializer {
        private final JobSerializer xml;
        private final int maxJobs;
        private final JobList list;

        Pages(JobSerializer xml, int maxJobs, JobList list) {
            this.xml = xml;
            this.maxJobs = maxJobs;
            this.list = list;
        }

        HtmlView view() {
            return HtmlView.this;
        }

        @Override
        public String mediaType() {
            return MEDIA_TYPE;
        }

        @Override
        public void writeJob(Job job, JobLinks links, OutputStream out) throws IOException {
            ByteArrayOutputStream doc = new ByteArrayOutputStream();
            xml.writeJob(job, links, doc);
            transform(doc.toByteArray(), links.jobList(), links.job(job.jobId()), -1, out);
        }

        @Override
        public void writeJobList(Iterator<JobRef> jobs, JobLinks links, OutputStream out) throws IOException {
            Capped capped = new Capped(jobs, maxJobs);
            ByteArrayOutputStream doc = new ByteArrayOutputStream();
            xml.writeJobList(capped, links, doc);
            transform(doc.toByteArray(), links.jobList(), null, capped.cut() ? maxJobs : -1, list, out);
        }

        @Override
        public void writeResults(Job job, JobLinks links, OutputStream out) throws IOException {
            ByteArrayOutputStream doc = new ByteArrayOutputStream();
            xml.writeResults(job, links, doc);
            transform(doc.toByteArray(), links.jobList(), links.job(job.jobId()), -1, out);
        }

        @Override
        public void writeParameters(Job job, JobLinks links, OutputStream out) throws IOException {
            ByteArrayOutputStream doc = new ByteArrayOutputStream();
            xml.writeParameters(job, links, doc);
            transform(doc.toByteArray(), links.jobList(), links.job(job.jobId()), -1, out);
        }
    }

    /** The first {@code max} elements; remembers whether more were left. */
    private static final class Capped implements Iterator<JobRef> {
        private final Iterator<JobRef> in;
        private final int max;
        private int given;
        private boolean cut;

        Capped(Iterator<JobRef> in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public boolean hasNext() {
            if (given < max) {
                return in.hasNext();
            }
            if (!cut && in.hasNext()) {
                cut = true;
            }
            return false;
        }

        @Override
        public JobRef next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            given++;
            return in.next();
        }

        boolean cut() {
            hasNext();
            return cut;
        }
    }
}
