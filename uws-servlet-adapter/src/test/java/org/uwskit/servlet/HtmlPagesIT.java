package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.servlet.TestServer.Reply;

/**
 * CHECKLIST item 18 on a real Jetty: clients that prefer {@code text/html} (browsers) get HTML rendered on the
 * server, every other client gets XML with the stylesheet instruction; the forms of the pages work.
 */
class HtmlPagesIT {
    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
            + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    private static final String A = "alice";
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer();
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
}
