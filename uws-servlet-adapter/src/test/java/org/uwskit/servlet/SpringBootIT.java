package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.uwskit.Engine;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobService;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.servlet.TestServer.Xml;

/**
 * The adapter in a real <b>Spring Boot 3</b> application ({@code spring-boot-starter-web}: auto-configuration,
 * Spring MVC's {@code DispatcherServlet} on {@code /} with a controller beside us, Spring Boot's default embedded
 * Tomcat and its default filters), with the servlet registered exactly as the README's "Spring Boot 3" section
 * says: a {@code ServletRegistrationBean} on {@code /uws/*}, async supported, {@link UwsServlet#multipartConfig()}.
 * The engine runs on its own threads with {@link ScriptedBackend}. Over HTTP on an ephemeral port: create, run,
 * WAIT, results, delete; an inline multipart upload; a PUT of a raw value; a form in ISO-8859-1; error answers
 * that stay the adapter's own text messages (not Spring's error page). The application sets the two properties
 * the README asks for ({@link #README_PROPERTIES}); {@link #withoutTheReadmesSettings} shows what goes wrong
 * without them. Every XML body is validated against the UWS
 * 1.1 schema ({@link Reply#xml()}); redirects are not followed.
 */
class SpringBootIT {
    private static ConfigurableApplicationContext app;
    private static HttpClient client;
    private static String root;
    private static String base;

    /** The application: what a Spring Boot user writes, with the registration bean copied from the README. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class UwsApplication {
        @Bean(destroyMethod = "close")
        JobService jobService() {
            JobListPolicy policy = JobListPolicy.builder().allowAnonymous(true).maxWait(Duration.ofSeconds(5))
                    .maxUploadSize(1 << 20).build();
            return JobService.builder()
                    .jobList(JobList.builder("demo").definition(JobDefinition.builder("demo").build()).policy(policy).build())
                    .resultStore(new InMemoryResultStore()).build();
        }

        /** Built and started here; closed before the service (Spring destroys dependants first). */
        @Bean(destroyMethod = "close")
        Engine engine(JobService jobService) {
            Engine engine = Engine.builder(jobService).backend(new ScriptedBackend())
                    .pollInterval(Duration.ofMillis(50)).build();
            engine.start();
            return engine;
        }

        // ---- exactly as uws-servlet-adapter/README.md, "Spring Boot 3"
        @Bean
        ServletRegistrationBean<UwsServlet> uws(JobService jobService) {
            UwsServlet servlet = UwsServlet.builder(jobService).build();
            ServletRegistrationBean<UwsServlet> reg = new ServletRegistrationBean<>(servlet, "/uws/*");
            reg.setAsyncSupported(true);
            reg.setMultipartConfig(servlet.multipartConfig());
            return reg;
        }
        // ----

        @Bean
        Hello hello() {
            return new Hello();
        }
    }

    /** A Spring MVC endpoint of the same application, served by the DispatcherServlet on {@code /}. */
    @RestController
    static class Hello {
        @GetMapping("/hello")
        String hello() {
            return "hello from Spring MVC";
        }
    }

    /** The two settings of the README's {@code application.properties}; {@link #withoutTheReadmesSettings} drops them. */
    static final String[] README_PROPERTIES = {"server.servlet.encoding.force-request=false",
            "spring.mvc.formcontent.filter.enabled=false"};

    private static ConfigurableApplicationContext run(String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(UwsApplication.class).properties(all.toArray(String[]::new)).run();
    }

    @BeforeAll
    static void start() {
        app = run(README_PROPERTIES);
        var server = ((ServletWebServerApplicationContext) app).getWebServer();
        assertThat(server).as("Spring Boot's default embedded container").isInstanceOf(TomcatWebServer.class);
        root = "http://127.0.0.1:" + server.getPort();
        base = root + "/uws";
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpRequest.Builder request(String pathOrUrl) {
        return HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl))
                .timeout(Duration.ofSeconds(20));
    }

    private static Reply send(HttpRequest r) throws IOException, InterruptedException {
        return new Reply(client.send(r, HttpResponse.BodyHandlers.ofByteArray()));
    }

    private static Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    private static Reply post(String path, String... pairs) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(pairs))).build());
    }

    private static String create(String... pairs) throws IOException, InterruptedException {
        Reply r = post("/demo", pairs);
        assertThat(r.status()).as("creation: %s", r.text()).isEqualTo(303);
        assertThat(r.header("Location")).matches("\\Q" + base + "/demo/\\E[a-z2-7]{26}");
        return r.header("Location");
    }

    @Test
    void createRunWaitResultsAndDelete() throws Exception {
        String job = create("outcome", "complete", "resultSize", "1000", "RUNID", "spring");
        Xml pending = get(job).xml();
        assertThat(pending.s("/uws:job/uws:phase")).isEqualTo("PENDING");
        assertThat(pending.s("/uws:job/uws:runId")).isEqualTo("spring");
        assertThat(pending.s("//uws:parameter[@id='resultSize']")).isEqualTo("1000");

        Reply run = post(job + "/phase", "PHASE", "RUN");
        assertThat(run.status()).as(run.text()).isEqualTo(303);
        assertThat(run.header("Location")).isEqualTo(job);

        // WAIT (async in Tomcat: the registration says asyncSupported) until the engine's threads finish the job
        String phase = "QUEUED";
        for (int i = 0; i < 20 && !phase.equals("COMPLETED"); i++) {
            phase = get(job + "?WAIT=5&PHASE=" + phase).xml().s("/uws:job/uws:phase");
        }
        assertThat(phase).isEqualTo("COMPLETED");

        Xml results = get(job + "/results").xml();
        assertThat(results.all("/uws:results/uws:result/@id")).containsExactlyInAnyOrder("result", "notes");
        Reply bytes = get(job + "/results/result");
        assertThat(bytes.status()).isEqualTo(200);
        assertThat(bytes.header("Content-Type")).startsWith("application/x-test");
        assertThat(bytes.body()).isEqualTo(ScriptedBackend.resultBytes(1000));
        assertThat(get("/demo").xml().all("//uws:jobref/@id")).contains(job.substring(job.lastIndexOf('/') + 1));

        Reply deleted = send(request(job).DELETE().build());
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(303);
        assertThat(deleted.header("Location")).isEqualTo(base + "/demo");
        Reply gone = get(job);
        assertThat(gone.status()).isIn(404, 410);
        assertThat(get("/demo").xml().all("//uws:jobref/@id")).doesNotContain(job.substring(job.lastIndexOf('/') + 1));

        // Spring MVC still serves its own paths beside the servlet
        Reply hello = send(request(root + "/hello").GET().build());
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.text()).isEqualTo("hello from Spring MVC");
    }

    @Test
    void multipartUploadUsesTheServletsOwnMultipartConfig() throws Exception {
        byte[] table = ScriptedBackend.resultBytes(50_000);
        Multipart m = new Multipart().field("UPLOAD", "t1,param:t1").field("QUERY", "select ünïcode")
                .part("t1", "t.vot", "application/x-votable+xml", table);
        Reply created = send(request("/demo").header("Content-Type", m.contentType()).POST(m.publisher()).build());
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        String job = created.header("Location");
        Xml doc = get(job).xml();
        assertThat(doc.s("//uws:parameter[@id='QUERY']")).isEqualTo("select ünïcode");
        assertThat(doc.s("//uws:parameter[@id='t1']/@byReference")).isEqualTo("true");
        Reply back = get(job + "/parameters/t1");
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(table);
    }

    @Test
    void putOfARawValueAndAFormInIso88591() throws Exception {
        String job = create("QUERY", "first");
        Reply put = send(request(job + "/parameters/QUERY").header("Content-Type", "text/plain; charset=UTF-8")
                .PUT(HttpRequest.BodyPublishers.ofString("select 'é' from t", StandardCharsets.UTF_8)).build());
        assertThat(put.status()).as(put.text()).isEqualTo(303);
        assertThat(get(job + "/parameters/QUERY").text()).isEqualTo("select 'é' from t");
        // Spring's FormContentFilter parses urlencoded PUT bodies for Spring MVC: the raw value must still arrive
        Reply putForm = send(request(job + "/parameters/QUERY").header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("a=b&c", StandardCharsets.UTF_8)).build());
        assertThat(putForm.status()).as(putForm.text()).isEqualTo(303);
        assertThat(get(job + "/parameters/QUERY").text()).isEqualTo("a=b&c");

        // a form that declares its charset is decoded with it (Spring Boot's CharacterEncodingFilter must not force UTF-8)
        Reply latin = send(latinForm(base));
        assertThat(latin.status()).as(latin.text()).isEqualTo(303);
        assertThat(get(latin.header("Location") + "/parameters/QUERY").text()).isEqualTo("café");
    }

    private static HttpRequest latinForm(String base) {
        return HttpRequest.newBuilder(URI.create(base + "/demo")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("QUERY=caf%E9", StandardCharsets.ISO_8859_1)).build();
    }

    /**
     * Why the README asks for its two settings: with Spring Boot's defaults, the FormContentFilter swallows the body
     * of a urlencoded PUT (the value arrives empty) and the CharacterEncodingFilter decodes an ISO-8859-1 form as
     * UTF-8. If this test fails, Spring Boot changed its defaults: check whether the README's settings are still needed.
     */
    @Test
    void withoutTheReadmesSettings() throws Exception {
        try (ConfigurableApplicationContext plain = run()) {
            String plainBase = "http://127.0.0.1:" + ((ServletWebServerApplicationContext) plain).getWebServer().getPort()
                    + "/uws";
            Reply created = send(HttpRequest.newBuilder(URI.create(plainBase + "/demo"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("QUERY=x")).build());
            assertThat(created.status()).isEqualTo(303);
            String job = created.header("Location");
            Reply putForm = send(HttpRequest.newBuilder(URI.create(job + "/parameters/QUERY"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .PUT(HttpRequest.BodyPublishers.ofString("a=b&c", StandardCharsets.UTF_8)).build());
            assertThat(putForm.status()).isEqualTo(303);
            assertThat(get(job + "/parameters/QUERY").text()).as("urlencoded PUT under FormContentFilter").isEmpty();
            Reply latin = send(latinForm(plainBase));
            assertThat(get(latin.header("Location") + "/parameters/QUERY").text()).as("forced UTF-8").isEqualTo("caf\uFFFD");
        }
    }

    @Test
    void errorsAreTheAdaptersTextMessagesNotSpringsErrorPage() throws Exception {
        Reply unknown = get("/demo/nosuchjob");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("text/plain");
        assertThat(unknown.text()).contains("nosuchjob").doesNotContain("Whitelabel").doesNotContain("\"timestamp\"");

        String job = create("QUERY", "x");
        Reply bad = post(job + "/phase", "PHASE", "SIDEWAYS");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).startsWith("text/plain");
        assertThat(bad.text()).contains("SIDEWAYS").doesNotContain("Whitelabel");

        Reply method = send(request(job + "/phase").method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.text()).isNotBlank().doesNotContain("Whitelabel");
    }
}
