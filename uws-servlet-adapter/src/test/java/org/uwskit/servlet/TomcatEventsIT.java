package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.uwskit.Engine;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobService;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;

/**
 * The job manager's event stream in embedded Tomcat 10.1 (its non-blocking output differs from Jetty's): the stream
 * opens, carries a job's creation and progress from the change feed, and ends when Tomcat stops (the servlet is
 * destroyed). The page itself is tested in Jetty ({@link ManagerBrowserIT}).
 */
class TomcatEventsIT {

    @Test
    void aStreamCarriesChangesAndEndsWhenTomcatStops() throws Exception {
        InMemoryJobStore store = new InMemoryJobStore();
        JobList open = JobList.builder("open").definition(JobDefinition.builder("open").build())
                .policy(JobListPolicy.builder().allowAnonymous(true).build()).build();
        JobService service = JobService.builder().jobList(open).store(store).resultStore(new InMemoryResultStore())
                .build();
        ScriptedBackend backend = new ScriptedBackend();
        Engine engine = Engine.builder(service).backend(backend).manual().build();
        Path dir = Files.createTempDirectory("uwskit-tomcat-events");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        tomcat.setPort(0);
        Connector connector = tomcat.getConnector();
        connector.setProperty("address", "127.0.0.1");
        Context ctx = tomcat.addContext("", null);
        Wrapper w = Tomcat.addServlet(ctx, "uws", UwsServlet.builder(service).changeFeed(store).build());
        w.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/uws/*", "uws");
        tomcat.start();
        String base = "http://127.0.0.1:" + connector.getLocalPort() + "/uws/open";
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<Stream<String>> events = client.send(HttpRequest.newBuilder(URI.create(base + "/events"))
                    .build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(events.statusCode()).isEqualTo(200);
            Iterator<String> lines = events.body().iterator();
            assertThat(until(lines, "event: ready")).isTrue();
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("PHASE=RUN")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(303);
            String id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
            engine.dispatch();
            backend.events(id).progress(0.5, "half way");
            assertThat(until(lines, "\"progressMessage\":\"half way\"")).isTrue();
            tomcat.stop();
            CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    while (lines.hasNext()) {
                        lines.next();
                    }
                } catch (java.io.UncheckedIOException closed) {
                    // closed: ended too
                }
                return true;
            });
            assertThat(ended.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            tomcat.stop();
            tomcat.destroy();
            engine.close();
            service.close();
        }
    }

    /** Reads lines until one contains {@code text} (true), or the stream ends (false); at most 10 s. */
    private static boolean until(Iterator<String> lines, String text) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            while (lines.hasNext()) {
                if (lines.next().contains(text)) {
                    return true;
                }
            }
            return false;
        }).get(10, TimeUnit.SECONDS);
    }
}
