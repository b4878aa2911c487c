package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.servlet.TestServer.Xml;

/**
 * CHECKLIST item 18 on a real Jetty: clients that prefer {@code text/html} (browsers) get HTML rendered on the
 * server, every other client gets XML with the stylesheet instruction; the forms of the pages work.
 */
class HtmlPagesIT {
    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
            + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    private static final String A = "alice";
    private static TestServer s;

    /** Job definitions like the example server's: {@code sleep} (declared, lenient) and in {@code typed} two types. */
    private static JobDefinition.Builder sleep() {
        return JobDefinition.builder("sleep").description("Sleeps, then says something")
                .parameter(ParameterDefinition.builder("SECONDS", ParameterType.INTEGER).defaultValue("1").min(0).max(60)
                        .unit("s").description("how long to sleep"))
                .parameter(ParameterDefinition.builder("FAIL", ParameterType.BOOLEAN).defaultValue("false")
                        .description("end in ERROR"))
                .parameter(ParameterDefinition.builder("MESSAGE", ParameterType.STRING).required().defaultValue("hello"))
                .parameter(ParameterDefinition.builder("RATE", ParameterType.REAL).min(0.5).description("optional"));
    }

    @BeforeAll
    static void start() throws Exception {
        JobListPolicy policy = JobListPolicy.builder().maxUploadSize(1 << 20).build();
        JobList forms = JobList.builder("forms").definition(sleep().build()).policy(policy).build();
        JobList typed = JobList.builder("typed").selector("kind").policy(policy)
                .definition(sleep().strict().build())
                .definition(JobDefinition.builder("copy")
                        .parameter(ParameterDefinition.builder("DATA", ParameterType.FILE).required())
                        .parameter(ParameterDefinition.builder("MODE", ParameterType.ENUMERATED).options("fast", "slow")
                                .defaultValue("slow"))
                        .build())
                .build();
        s = new TestServer(p -> { }, b -> { }, j -> j.jobList(forms).jobList(typed));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static String formAction(String html, String formId) {
        Matcher m = Pattern.compile("<form id=\"" + formId + "\"[^>]*action=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("form %s in %s", formId, html).isTrue();
        return m.group(1);
    }

    @Test
    void item18_browsersGetHtmlPagesRenderedOnTheServer() throws Exception {
        String id = s.create(A, "RUNID", "html-run", "QUERY", "x<y");
        Reply job = s.get("/demo/" + id, A, "Accept", BROWSER);
        assertThat(job.status()).isEqualTo(200);
        assertThat(job.header("Content-Type").replace(" ", "")).isEqualToIgnoringCase("text/html;charset=UTF-8");
        assertThat(job.header("Vary")).isEqualTo("Accept");
        String html = job.text();
        assertThat(html).startsWith("<!DOCTYPE html").contains("UWS job " + id).contains("PENDING")
                .contains("html-run").contains("x&lt;y").doesNotContain("<?xml");
        assertThat(formAction(html, "run")).isEqualTo(s.base + "/demo/" + id + "/phase");
        assertThat(formAction(html, "delete")).isEqualTo(s.base + "/demo/" + id);

        Reply list = s.get("/demo", A, "Accept", BROWSER);
        assertThat(list.header("Content-Type")).startsWith("text/html");
        assertThat(list.text()).contains("href=\"" + s.base + "/demo/" + id + "\"");
        assertThat(formAction(list.text(), "create")).isEqualTo(s.base + "/demo");

        assertThat(s.get("/demo/" + id + "/parameters", A, "Accept", BROWSER).text()).contains("QUERY")
                .contains("back to the job");
        assertThat(s.get("/demo/" + id + "/results", A, "Accept", BROWSER).text()).contains("No results yet");
        assertThat(s.get("/demo/" + id + "?FORMAT=html", A).header("Content-Type")).startsWith("text/html");
        // atomic resources stay text/plain, errors too
        assertThat(s.get("/demo/" + id + "/phase", A, "Accept", BROWSER).header("Content-Type")).startsWith("text/plain");
        Reply missing = s.get("/demo/nosuchjob", A, "Accept", BROWSER);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("text/plain");
        // HEAD: same headers, no body
        Reply head = s.send(s.request("/demo/" + id, A).header("Accept", BROWSER)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Type")).startsWith("text/html");
        assertThat(head.body()).isEmpty();
    }

    /**
     * STILTS taplint and TOPCAT read UWS documents with java.net.HttpURLConnection, whose default Accept header lists
     * text/html first: they must get XML (CHECKLIST item 18).
     */
    @Test
    void item18_javaClientsWithTheJdkDefaultAcceptHeaderGetXml() throws Exception {
        String id = s.create(A);
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(s.base + "/demo/" + id)
                .toURL().openConnection();
        c.setRequestProperty("X-User", A);
        try {
            assertThat(c.getRequestProperty("Accept")).isNull();   // the JDK adds its default when sending
            assertThat(c.getResponseCode()).isEqualTo(200);
            assertThat(c.getContentType()).startsWith("application/xml");
            try (java.io.InputStream in = c.getInputStream()) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("<?xml");
            }
        } finally {
            c.disconnect();
        }
    }

    @Test
    void item18_everyOtherClientGetsXmlWithTheStylesheetInstruction() throws Exception {
        String id = s.create(A);
        for (String accept : new String[] {null, "*/*", "application/xml", "application/xml,text/plain", "text/*",
                "text/html;q=0.5,application/xml", "text/html,application/xml"}) {
            Reply r = accept == null ? s.get("/demo/" + id, A) : s.get("/demo/" + id, A, "Accept", accept);
            assertThat(r.header("Content-Type")).as(accept).matches("(application|text)/xml.*");
            assertThat(r.header("Vary")).as(accept).isEqualTo("Accept");
            assertThat(r.text()).as(accept).startsWith("<?xml")
                    .contains("<?xml-stylesheet type=\"text/xsl\" href=\"/uws/uws.xsl\"?>");
        }
        Reply list = s.get("/demo", A, "Accept", "application/xml,text/plain");
        list.xml();
    }

    @Test
    void theFormsOfThePagesDoWhatTheySay() throws Exception {
        String created = s.post("/demo", A, "RUNID", "via-form", "A", "1").header("Location");
        String id = created.substring(created.lastIndexOf('/') + 1);
        String html = s.get("/demo/" + id, A, "Accept", BROWSER).text();

        Reply run = s.post(formAction(html, "run"), A, "PHASE", "RUN");
        assertThat(run.status()).isEqualTo(303);
        assertThat(run.header("Location")).isEqualTo(s.base + "/demo/" + id);
        assertThat(s.get("/demo/" + id + "/phase", A).text()).isEqualTo("QUEUED");

        Reply abort = s.post(formAction(html, "abort"), A, "PHASE", "ABORT");
        assertThat(abort.status()).isEqualTo(303);
        assertThat(s.get("/demo/" + id + "/phase", A).text()).isEqualTo("ABORTED");
        assertThat(s.get("/demo/" + id, A, "Accept", BROWSER).text()).contains("ABORTED");

        Reply delete = s.post(formAction(html, "delete"), A, "ACTION", "DELETE");
        assertThat(delete.status()).isEqualTo(303);
        assertThat(delete.header("Location")).isEqualTo(s.base + "/demo");
        assertThat(s.get("/demo/" + id, A).status()).isEqualTo(404);
    }

    @Test
    void htmlCanBeTurnedOff() throws Exception {
        try (TestServer off = new TestServer(p -> { }, b -> b.html(false))) {
            String id = off.create(A);
            assertThat(off.get("/demo/" + id, A, "Accept", BROWSER).header("Content-Type")).startsWith("application/xml");
        }
    }

    @Test
    void bigJobListsAreCutOnThePage() throws Exception {
        try (TestServer small = new TestServer(p -> { }, b -> b.htmlMaxJobs(2))) {
            for (int i = 0; i < 3; i++) {
                small.create(A);
            }
            String html = small.get("/open", null, "Accept", BROWSER).text();
            assertThat(html).contains("No jobs.");
            String demo = small.get("/demo", A, "Accept", BROWSER).text();
            assertThat(demo).contains("Showing the first 2 jobs");
            assertThat(small.get("/demo", A).xml().all("//uws:jobref/@id")).hasSize(3);
        }
    }

    /** One control of a rendered form as a browser submits it: its name, type and value (selected option). */
    private record Field(String name, String type, String value) { }

    private record Form(String action, String enctype, List<Field> fields) { }

    private static final Pattern CONTROL = Pattern.compile("<select\\b([^>]*)>(.*?)</select>|<input\\b([^>]*)>",
            Pattern.DOTALL);

    private static String attr(String attrs, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attrs);
        return m.find() ? m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&quot;", "\"") : null;
    }

    /** The form {@code id} of a page, read as a browser without JavaScript would submit it unchanged. */
    private static Form form(String html, String id) {
        Matcher f = Pattern.compile("<form id=\"" + id + "\"([^>]*)>(.*?)</form>", Pattern.DOTALL).matcher(html);
        assertThat(f.find()).as("form %s in %s", id, html).isTrue();
        List<Field> fields = new ArrayList<>();
        Matcher c = CONTROL.matcher(f.group(2));
        while (c.find()) {
            boolean select = c.group(1) != null;
            String a = select ? c.group(1) : c.group(3);
            String name = attr(a, "name");
            String type = select ? "select" : attr(a, "type");
            if (name == null || type.equals("submit") || type.equals("checkbox") && !a.contains("checked")) {
                continue;
            }
            String value = attr(a, "value");
            if (select) {
                Matcher o = Pattern.compile("<option value=\"([^\"]*)\"( selected)?").matcher(c.group(2));
                value = null;
                while (o.find()) {
                    if (value == null || o.group(2) != null) {
                        value = o.group(1);
                    }
                }
            }
            fields.add(new Field(name, type, value == null ? "" : value));
        }
        return new Form(attr(f.group(1), "action"), attr(f.group(1), "enctype"), fields);
    }

    /** Submits {@code form} as multipart like a browser: file inputs as parts, left empty unless in {@code files}. */
    private static Reply submitMultipart(Form form, String fileInput, byte[] file) throws Exception {
        assertThat(form.enctype()).isEqualTo("multipart/form-data");
        Multipart m = new Multipart();
        for (Field f : form.fields()) {
            if (f.type().equals("file")) {
                m = f.name().equals(fileInput) ? m.part(f.name(), "data.bin", "application/octet-stream", file)
                        : m.part(f.name(), "", "application/octet-stream", new byte[0]);
            } else {
                m = m.field(f.name(), f.value());
            }
        }
        return s.send(s.request(form.action(), A).header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    private static Reply submitUrlencoded(Form form, String... overrides) throws Exception {
        assertThat(form.enctype()).isNull();
        List<String> pairs = new ArrayList<>();
        for (Field f : form.fields()) {
            String v = f.value();
            for (int i = 0; i < overrides.length; i += 2) {
                if (overrides[i].equals(f.name())) {
                    v = overrides[i + 1];
                }
            }
            pairs.add(f.name());
            pairs.add(v);
        }
        return s.post(form.action(), A, pairs.toArray(String[]::new));
    }

    @Test
    void theCreateFormHasOneFieldPerDeclaredParameterAndWorksWithoutJavaScript() throws Exception {
        String html = s.get("/forms", A, "Accept", BROWSER).text();
        Form create = form(html, "create");
        assertThat(create.action()).isEqualTo(s.base + "/forms");
        assertThat(create.fields()).containsExactly(new Field("SECONDS", "number", "1"), new Field("FAIL", "select", "false"),
                new Field("MESSAGE", "text", "hello"), new Field("RATE", "number", ""), new Field("RUNID", "text", ""));
        assertThat(html).contains("min=\"0\" max=\"60\"").contains("step=\"any\" min=\"0.5\"")
                .contains("required").contains("how long to sleep").contains("Sleeps, then says something");

        // submitted as it is rendered: the declared parameters with their defaults; the blank RATE is "not given"
        Reply created = submitUrlencoded(create);
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        Xml job = s.get(created.header("Location"), A).xml();
        assertThat(job.all("//uws:parameter/@id")).containsExactlyInAnyOrder("SECONDS", "FAIL", "MESSAGE");
        assertThat(job.s("//uws:parameter[@id='SECONDS']")).isEqualTo("1");
        assertThat(job.s("//uws:parameter[@id='FAIL']")).isEqualTo("false");
        assertThat(job.s("//uws:parameter[@id='MESSAGE']")).isEqualTo("hello");

        Reply changed = submitUrlencoded(create, "SECONDS", "7", "FAIL", "true", "RATE", "2.5", "RUNID", "mine");
        assertThat(changed.status()).as(changed.text()).isEqualTo(303);
        Xml job2 = s.get(changed.header("Location"), A).xml();
        assertThat(job2.s("//uws:parameter[@id='SECONDS']")).isEqualTo("7");
        assertThat(job2.s("//uws:parameter[@id='RATE']")).isEqualTo("2.5");
        assertThat(job2.s("//uws:runId")).isEqualTo("mine");
        // a bad value is still refused with the parameter's name
        Reply bad = submitUrlencoded(create, "SECONDS", "99");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("SECONDS");

        // the XML of the list is unchanged: no form description in it
        assertThat(s.get("/forms", A).text()).doesNotContain("html-form").doesNotContain("SECONDS");
    }

    @Test
    void severalJobTypesGetOneFormEachAndAFileFieldPostsMultipart() throws Exception {
        String html = s.get("/typed", A, "Accept", BROWSER).text();
        Form sleep = form(html, "create-sleep");
        assertThat(sleep.fields()).contains(new Field("kind", "hidden", "sleep"), new Field("SECONDS", "number", "1"));
        Reply slept = submitUrlencoded(sleep);
        assertThat(slept.status()).as(slept.text()).isEqualTo(303);
        Xml job = s.get(slept.header("Location"), A).xml();
        // the service keeps the job type selector among the parameters
        assertThat(job.all("//uws:parameter/@id")).containsExactlyInAnyOrder("kind", "SECONDS", "FAIL", "MESSAGE");

        Form copy = form(html, "create-copy");
        assertThat(copy.fields()).containsExactly(new Field("kind", "hidden", "copy"), new Field("DATA", "file", ""),
                new Field("MODE", "select", "slow"), new Field("RUNID", "text", ""));
        byte[] bytes = "some bytes\n".getBytes(StandardCharsets.UTF_8);
        Reply copied = submitMultipart(copy, "DATA", bytes);
        assertThat(copied.status()).as(copied.text()).isEqualTo(303);
        String url = copied.header("Location");
        Xml c = s.get(url, A).xml();
        assertThat(c.s("//uws:parameter[@id='DATA']/@byReference")).isEqualTo("true");
        assertThat(c.s("//uws:parameter[@id='MODE']")).isEqualTo("slow");
        assertThat(s.get(url + "/parameters/DATA", A).body()).isEqualTo(bytes);

        // the file input left empty: no upload, so the required DATA is reported missing (not an empty file)
        Reply none = submitMultipart(copy, null, null);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.text()).contains("DATA");
    }
}
