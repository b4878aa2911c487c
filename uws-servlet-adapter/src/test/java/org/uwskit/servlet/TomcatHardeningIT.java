package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobService;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;

/**
 * Issue 8's browser-facing defaults where the container matters (how it reports Host, the request URL and absolute-form
 * targets): Tomcat 10.1 with the servlet mounted as the README says, at {@code /uws} with the defaults and at
 * {@code /pub} with a public base URL. Anonymous job list; no authentication needed for these checks.
 */
class TomcatHardeningIT {
    private static Path baseDir;
    private static Tomcat tomcat;
    private static JobService service;
    private static HttpClient client;
    private static URI root;

    @BeforeAll
    static void start() throws Exception {
        JobList demo = JobList.builder("demo").definition(JobDefinition.builder("demo").build())
                .policy(JobListPolicy.builder().allowAnonymous(true).maxUploadSize(1 << 20).build()).build();
        service = JobService.builder().jobList(demo).resultStore(new InMemoryResultStore()).build();
        baseDir = Files.createTempDirectory("uwskit-tomcat-hardening");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        Connector connector = tomcat.getConnector();
        connector.setProperty("address", "127.0.0.1");
        Context ctx = tomcat.addContext("", null);
        mount(ctx, "uws", UwsServlet.builder(service).build());
        mount(ctx, "pub", UwsServlet.builder(service).publicBaseUrl(URI.create("https://uws.example.org")).build());
        tomcat.start();
        root = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void mount(Context ctx, String name, UwsServlet servlet) {
        Wrapper w = Tomcat.addServlet(ctx, name, servlet);
        w.setAsyncSupported(true);
        w.setMultipartConfigElement(servlet.multipartConfig());
        ctx.addServletMappingDecoded("/" + name + "/*", name);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (tomcat != null) {
                tomcat.stop();
                tomcat.destroy();
            }
        } finally {
            if (service != null) {
                service.close();
            }
            if (baseDir != null) {
                try (Stream<Path> files = Files.walk(baseDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static Reply send(HttpRequest.Builder b) throws Exception {
        return new Reply(client.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray()));
    }

    private static HttpRequest.Builder form(String path, String body) {
        return HttpRequest.newBuilder(root.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    void finding8_crossSiteRefusedSameOriginAndPlainClientsPass() throws Exception {
        for (String[] h : List.of(new String[] {"Origin", "http://evil.example"}, new String[] {"Origin", "null"},
                new String[] {"Sec-Fetch-Site", "cross-site"})) {
            Reply r = send(form("/uws/demo", "A=1").header(h[0], h[1]));
            assertThat(r.status()).as(r.text()).isEqualTo(403);
            assertThat(r.text()).contains("cross-site");
        }
        assertThat(send(form("/uws/demo", "A=1")).status()).isEqualTo(303);
        Reply same = send(form("/uws/demo", "A=1").header("Origin", root.toString()));
        assertThat(same.status()).as(same.text()).isEqualTo(303);
        // behind the public base URL, its origin is the service's own and the local one is not
        assertThat(send(form("/pub/demo", "A=1").header("Origin", "https://uws.example.org")).status()).isEqualTo(303);
        assertThat(send(form("/pub/demo", "A=1").header("Origin", root.toString())).status()).isEqualTo(403);
    }

    @Test
    void finding7_thePublicBaseUrlWinsOverHostAndAbsoluteFormTargets() throws Exception {
        String r = HardeningIT.raw(root, "POST /pub/demo HTTP/1.1\r\nHost: evil.example\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n\r\nA=1");
        assertThat(HardeningIT.header(r, "Location")).as(r).startsWith("https://uws.example.org/pub/demo/");
        String abs = HardeningIT.raw(root, "POST http://evil.example/pub/demo HTTP/1.1\r\nHost: evil.example\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n\r\nA=1");
        assertThat(HardeningIT.header(abs, "Location")).as(abs).startsWith("https://uws.example.org/pub/demo/");
    }

    @Test
    void finding2_finding4_uploadsSandboxedAndEmptyMediaRangesAnswered() throws Exception {
        Multipart m = new Multipart().part("page", "p.html", "text/html",
                "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        Reply created = send(HttpRequest.newBuilder(root.resolve("/uws/demo")).header("Content-Type", m.contentType())
                .POST(m.publisher()));
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        String job = created.header("Location");
        Reply page = send(HttpRequest.newBuilder(URI.create(job + "/parameters/page")).GET());
        assertThat(page.header("Content-Disposition")).startsWith("attachment");
        assertThat(page.header("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        for (String accept : List.of(";", ",;", "text/html,;")) {
            for (String p : List.of("/uws/demo", job, job + "/results", job + "/parameters")) {
                Reply r = send(HttpRequest.newBuilder(root.resolve(p)).header("Accept", accept).GET());
                assertThat(r.status()).as("%s %s: %s", accept, p, r.text()).isEqualTo(200);
            }
        }
    }
}
