package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRef;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.Phase;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobSerializer;
import org.uwskit.xml.UwsXml;

/** Server-side HTML pages (CHECKLIST item 18): the bundled XSLT run by the JDK, with absolute form actions. */
class HtmlViewTest {
    private static final JobLinks LINKS = JobLinks.under("http://h:8080/uws/demo");
    private static final HtmlView VIEW = HtmlView.load();

    private static Job job(String id) {
        return Job.builder(id, "demo", "demo", Instant.parse("2030-01-01T00:00:00Z"))
                .parameters(List.of(Parameter.of("QUERY", "select 1 < 2 & \"x\"")))
                .build();
    }

    private static String page(Job job) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VIEW.serializer(UwsXml.create(), 10).writeJob(job, LINKS, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String listPage(int jobs, int max) throws IOException {
        List<JobRef> refs = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            refs.add(new JobRef("job" + i, Phase.PENDING, null, "alice", Instant.parse("2030-01-01T00:00:00Z")));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VIEW.serializer(UwsXml.create(), max).writeJobList(refs.iterator(), LINKS, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The rules of HTML5 the XSLT output could break: doctype, one charset declaration, no XML leftovers. */
    static void assertHtml5(String html) {
        assertThat(html).startsWith("<!DOCTYPE html");
        assertThat(html).contains("<html lang=\"en\">").contains("<title>");
        Matcher charset = Pattern.compile("(?i)<meta[^>]*charset").matcher(html);
        int declarations = 0;
        while (charset.find()) {
            declarations++;
        }
        assertThat(declarations).as("charset declarations in %s", html).isEqualTo(1);
        assertThat(html).doesNotContain("<?xml").doesNotContain("xmlns").doesNotContain("/>")
                .doesNotContain("<uws:").doesNotContain("xsl:");
    }

    @Test
    void jobPageFormsPostToTheAbsoluteJobUrl() {
        String html = page(job("abc123"));
        assertHtml5(html);
        assertThat(html)
                .contains("<form id=\"run\" method=\"post\" action=\"http://h:8080/uws/demo/abc123/phase\">")
                .contains("<form id=\"abort\" method=\"post\" action=\"http://h:8080/uws/demo/abc123/phase\">")
                .contains("<form id=\"delete\" method=\"post\" action=\"http://h:8080/uws/demo/abc123\">")
                .contains("<input type=\"hidden\" name=\"PHASE\" value=\"RUN\">")
                .contains("<input type=\"hidden\" name=\"ACTION\" value=\"DELETE\">")
                .contains("href=\"http://h:8080/uws/demo\">back to the job list")
                .contains("select 1 &lt; 2 &amp; \"x\"");
    }

    @Test
    void jobListPageCreatesAtTheListUrlAndSaysWhenItIsCut() throws IOException {
        String all = listPage(3, 3);
        assertHtml5(all);
        assertThat(all).contains("<form id=\"create\" method=\"post\" onsubmit=\"return uwsCreate(this)\" "
                + "action=\"http://h:8080/uws/demo\">");
        assertThat(all).contains("href=\"http://h:8080/uws/demo/job2\"").doesNotContain("id=\"truncated\"");
        // the script is raw text in HTML: its comparisons must not be escaped
        assertThat(all).contains("i < lines.length").contains("eq < 1");

        String cut = listPage(5, 2);
        assertThat(cut).contains("href=\"http://h:8080/uws/demo/job1\"").doesNotContain("/job2\"")
                .contains("id=\"truncated\"").contains("Showing the first 2 jobs");
    }

    @Test
    void concurrentRenderingSharesTheCompiledStylesheet() throws Exception {
        String expected = page(job("abc123"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> pages = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                pages.add(pool.submit(() -> page(job("abc123"))));
            }
            for (Future<String> f : pages) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resultsAndParametersPagesLinkBackToTheJob() throws IOException {
        JobSerializer s = VIEW.serializer(UwsXml.create(), 10);
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        s.writeParameters(job("abc123"), LINKS, p);
        String html = p.toString(StandardCharsets.UTF_8);
        assertHtml5(html);
        assertThat(html).contains("href=\"http://h:8080/uws/demo/abc123\">back to the job").contains("QUERY");
        assertThat(s.mediaType()).isEqualTo("text/html");
    }

    private static String listPage(JobList list) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlView.forList(VIEW.serializer(UwsXml.create(), 10), list).writeJobList(List.<JobRef>of().iterator(), LINKS, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aKnownJobListGetsOneFieldPerDeclaredParameter() throws IOException {
        JobList list = JobList.builder("demo").definition(JobDefinition.builder("demo").description("Sleeps & fails")
                .parameter(ParameterDefinition.builder("SECONDS", ParameterType.INTEGER).defaultValue("1").min(0).max(60)
                        .unit("s").description("how long to sleep"))
                .parameter(ParameterDefinition.builder("FACTOR", ParameterType.REAL).min(0.5))
                .parameter(ParameterDefinition.builder("FAIL", ParameterType.BOOLEAN).defaultValue("no"))
                .parameter(ParameterDefinition.builder("MODE", ParameterType.ENUMERATED).options("fast", "slow")
                        .defaultValue("slow"))
                .parameter(ParameterDefinition.builder("MESSAGE", ParameterType.STRING).required().defaultValue("a<b"))
                .parameter(ParameterDefinition.builder("DATA", ParameterType.FILE))
                .build()).build();
        String html = listPage(list);
        assertHtml5(html);
        assertThat(html).contains("<form id=\"create\" method=\"post\" action=\"http://h:8080/uws/demo\" "
                        + "onsubmit=\"return uwsCreate(this)\" enctype=\"multipart/form-data\">")
                .contains("<p>Sleeps &amp; fails</p>")
                .contains("<input id=\"create-SECONDS\" name=\"SECONDS\" type=\"number\" step=\"1\" min=\"0\" "
                        + "max=\"60\" value=\"1\" title=\"how long to sleep\">")
                .contains("<input id=\"create-FACTOR\" name=\"FACTOR\" type=\"number\" step=\"any\" min=\"0.5\">")
                .contains("<option value=\"false\" selected>false</option>")
                .contains("<option value=\"slow\" selected>slow</option>")
                .contains("<input id=\"create-MESSAGE\" name=\"MESSAGE\" type=\"text\" value=\"a<b\" required=\"required\">")
                .contains("<input id=\"create-DATA\" name=\"DATA\" type=\"file\">")
                .contains("MESSAGE <span class=\"required\" title=\"required\">*</span>")
                .contains("<textarea class=\"uws-params\"></textarea>")
                .doesNotContain("id=\"uws-params\"");

        JobList two = JobList.builder("two").selector("kind")
                .definition(JobDefinition.builder("a").strict().build())
                .definition(JobDefinition.builder("b").build()).build();
        String both = listPage(two);
        assertThat(both).contains("<form id=\"create-a\"").contains("<form id=\"create-b\"")
                .contains("<input type=\"hidden\" name=\"kind\" value=\"a\">")
                .contains("<input type=\"hidden\" name=\"kind\" value=\"b\">")
                .doesNotContain("enctype");
        // a strict definition takes no other parameters: no box in its form
        assertThat(both.indexOf("uws-params\"></textarea>")).isGreaterThan(both.indexOf("id=\"create-b\""));
    }
}
