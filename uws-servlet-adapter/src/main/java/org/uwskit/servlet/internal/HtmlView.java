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
import javax.xml.transform.Templates;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import org.uwskit.Job;
import org.uwskit.JobRef;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobSerializer;

/**
 * Server-side rendering of UWS documents as HTML5 pages with the bundled {@code uws.xsl} (CHECKLIST item 18), for
 * browsers that prefer {@code text/html}: browsers are dropping client-side XSLT, so the stylesheet instruction alone
 * no longer gives them a page. The stylesheet is compiled once ({@link Templates} is thread-safe); each document
 * gets its own {@link Transformer}. The JDK's built-in XSLT processor is used whatever else is on the class path.
 *
 * <p>XSLT needs the whole source document, so a document is written to memory first; a job list page is therefore
 * cut after {@code maxJobs} jobs and says so.
 */
public final class HtmlView {
    /** The class-path resource of the stylesheet. */
    public static final String XSL_RESOURCE = "/org/uwskit/servlet/uws.xsl";
    /** The media type of the pages. */
    public static final String MEDIA_TYPE = "text/html";

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
        return new Pages(xml, maxJobs);
    }

    /** Transforms one UWS document; {@code listUrl}/{@code jobUrl} may be null, {@code truncated} is -1 if not. */
    void transform(byte[] xml, String listUrl, String jobUrl, long truncated, OutputStream out) throws IOException {
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
            t.transform(new StreamSource(new ByteArrayInputStream(xml)), new StreamResult(out));
        } catch (TransformerException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("the HTML view failed: " + e.getMessageAndLocation(), e);
        }
    }

    private final class Pages implements JobSerializer {
        private final JobSerializer xml;
        private final int maxJobs;

        Pages(JobSerializer xml, int maxJobs) {
            this.xml = xml;
            this.maxJobs = maxJobs;
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
            transform(doc.toByteArray(), links.jobList(), null, capped.cut() ? maxJobs : -1, out);
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
