package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import org.junit.jupiter.api.Test;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.JobRef;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.spi.JobLinks;
import org.uwskit.xml.UwsXml;

/** The browser view (CHECKLIST items 18-19): the bundled XSLT turns UWS documents into usable HTML pages. */
class StylesheetTest {
    private static final JobLinks LINKS = JobLinks.under("http://h/uws/demo");

    private static String transform(byte[] xml) throws Exception {
        Transformer t = TransformerFactory.newInstance().newTransformer(
                new StreamSource(StylesheetTest.class.getResourceAsStream("/org/uwskit/servlet/uws.xsl")));
        StringWriter out = new StringWriter();
        t.transform(new StreamSource(new ByteArrayInputStream(xml)), new StreamResult(out));
        return out.toString();
    }

    @Test
    void jobPageHasPhaseParametersResultsAndButtons() throws Exception {
        Job job = Job.builder("abc123", "demo", "demo", Instant.parse("2030-01-01T00:00:00Z"))
                .phase(Phase.ERROR, Instant.parse("2030-01-01T00:00:01Z"), "test")
                .parameters(List.of(Parameter.of("QUERY", "select 1"), Parameter.byReference("T", "http://x/t")))
                .results(List.of(Result.stored("result", "text/plain", 5), new Result("ext", URI.create("http://e/x"), null, -1)))
                .error(new ErrorSummary(ErrorSummary.Type.FATAL, "it broke", "trace"))
                .build();
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        UwsXml.create().writeJob(job, LINKS, xml);
        String html = transform(xml.toByteArray());
        assertThat(html).contains("ERROR").contains("select 1").contains("it broke")
                .contains("href=\"abc123/error\"")
                .contains("href=\"http://h/uws/demo/abc123/results/result\"").contains("href=\"http://e/x\"")
                .contains("href=\"http://x/t\"")
                .contains("action=\"abc123/phase\"").contains("value=\"RUN\"").contains("value=\"ABORT\"")
                .contains("action=\"abc123\"").contains("name=\"ACTION\"").contains("value=\"DELETE\"");
    }

    @Test
    void jobListPageHasLinksFiltersAndACreateForm() throws Exception {
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        UwsXml.create().writeJobList(List.of(new JobRef("j1", Phase.PENDING, "r1", "alice",
                Instant.parse("2030-01-01T00:00:00Z"))).iterator(), LINKS, xml);
        String html = transform(xml.toByteArray());
        assertThat(html).contains("href=\"http://h/uws/demo/j1\"").contains("PENDING").contains("alice")
                .contains("?PHASE=ARCHIVED").contains("<form").contains("method=\"post\"").contains("name=\"RUNID\"");
    }

    @Test
    void resultsAndParametersDocumentsRender() throws Exception {
        Job job = Job.builder("abc123", "demo", "demo", Instant.parse("2030-01-01T00:00:00Z"))
                .parameters(List.of(Parameter.of("A", "1"))).results(List.of(Result.stored("r", null, -1))).build();
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        UwsXml.create().writeResults(job, LINKS, r);
        assertThat(transform(r.toByteArray())).contains("href=\"http://h/uws/demo/abc123/results/r\"");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        UwsXml.create().writeParameters(job, LINKS, p);
        assertThat(transform(p.toByteArray())).contains("<td>A</td>").contains("<td>1</td>");
    }
}
