package org.uwskit.prov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.StoreUnavailableException;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.prov.servlet.ProvSapServlet;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobStore;

/**
 * {@link ProvSapServlet} in a real Jetty 12, under the context path {@code /ctx}: job lists {@code stack} and
 * {@code tapasync} served (as far as links go) by UWS servlets at {@code /uws} and {@code /tap}, the public base URL
 * {@code https://uws.example.org}. Alice's chain A → B (B's by-reference INPUT is A's result URL), Bob's job C that
 * also used A's result, Alice's pending job P and her job T under {@code /tap}. The caller comes from a test filter
 * that sets the principal named by the {@code X-User} header ({@code admin} has the role {@code uws-admin}).
 */
class ProvSapServletIT {
    private static final String PUBLIC = "https://uws.example.org";
    private static final JobLinks STACK = JobLinks.under(PUBLIC + "/ctx/uws/stack");
    private static final JobLinks TAP = JobLinks.under(PUBLIC + "/ctx/tap/tapasync");
    private static final String A = STACK.job("ja");
    private static final String B = STACK.job("jb");
    private static final String C = STACK.job("jc");
    private static final String RESULT_A = STACK.result("ja", "out");
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final AtomicBoolean STORE_DOWN = new AtomicBoolean();

    static Server jetty;
    static URI root;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        InMemoryJobStore memory = new InMemoryJobStore();
        memory.insert(finished("ja", "stack", "alice", List.of(Parameter.of("RA", "1")), "out"));
        memory.insert(finished("jb", "stack", "alice", List.of(Parameter.byReference("INPUT", RESULT_A)), "out"));
        memory.insert(finished("jc", "stack", "bob", List.of(Parameter.byReference("INPUT", RESULT_A)), "out"));
        memory.insert(Job.builder("jp", "stack", "stack", T0).ownerId("alice").phase(Phase.PENDING, T0, "created")
                .build());
        memory.insert(finished("jt", "tapasync", "alice", List.of(), "out"));
        JobService service = JobService.builder().store(failing(memory))
                .jobList(JobList.builder("stack").definition(DemoJobs.CHAIN).build())
                .jobList(JobList.builder("tapasync").definition(DemoJobs.CHAIN).build())
                .build();
        ProvenanceDocuments documents = ProvenanceDocuments.builder(DemoJobs.PROVENANCE).build();

        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/ctx");
        ctx.addFilter(new FilterHolder((Filter) (req, resp, chain) -> chain.doFilter(asUser((HttpServletRequest) req),
                resp)), "/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(ProvSapServlet.builder(service, documents).jobLists("/uws", "stack")
                .jobLists("/tap", "tapasync").publicBaseUrl(URI.create(PUBLIC + "/")).build()), "/provsap");
        // links from the request when no public URL is given
        ctx.addServlet(new ServletHolder(ProvSapServlet.builder(service, documents).jobLists("/uws", "stack")
                .build()), "/direct");
        jetty.setHandler(ctx);
        jetty.start();
        root = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/ctx/");
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    private static Job finished(String id, String list, String owner, List<Parameter> params, String result) {
        return Job.builder(id, list, "stack", T0).ownerId(owner).parameters(params)
                .phase(Phase.PENDING, T0, "created")
                .rawPhase(Phase.EXECUTING, T0.plusSeconds(1), null).startTime(T0.plusSeconds(1))
                .results(List.of(Result.stored(result, "text/plain", 10)))
                .phase(Phase.COMPLETED, T0.plusSeconds(2), null).endTime(T0.plusSeconds(2))
                .build();
    }

    /** The store, failing every read of one job with {@link StoreUnavailableException} while {@link #STORE_DOWN}. */
    private static JobStore failing(JobStore store) {
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class},
                (proxy, method, args) -> {
                    if (STORE_DOWN.get() && method.getName().equals("get")) {
                        throw new StoreUnavailableException("database down", null);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static HttpServletRequest asUser(HttpServletRequest req) {
        String user = req.getHeader("X-User");
        if (user == null) {
            return req;
        }
        Principal principal = () -> user;
        return new HttpServletRequestWrapper(req) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return user.equals("admin") && role.equals("uws-admin");
            }
        };
    }

    private static HttpResponse<String> get(String user, String accept, String path, String... kv) throws Exception {
        StringBuilder q = new StringBuilder(path);
        for (int i = 0; i < kv.length; i += 2) {
            q.append(i == 0 ? "?" : "&").append(kv[i]).append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(root.resolve(q.toString())).GET();
        if (user != null) {
            r.header("X-User", user);
        }
        if (accept != null) {
            r.header("Accept", accept);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> alice(String... kv) throws Exception {
        return get("alice", null, "provsap", kv);
    }

    private static ParsedJson json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.headers().firstValue("Vary").orElse("")).isEqualTo("Accept");
        assertThat(r.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-cache");
        return new ParsedJson(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> activities(ParsedJson doc) {
        return doc.section("activity").keySet();
    }

    /** The {@code [activity, entity]} pairs (full URIs) of a relation section. */
    private static Set<List<String>> relations(ParsedJson doc, String section) {
        Set<List<String>> out = new HashSet<>();
        doc.section(section).values().forEach(r -> out.add(List.of(doc.expand(r.path("prov:activity").asText()),
                doc.expand(r.path("prov:entity").asText()))));
        return out;
    }

    @Test
    void backFromBReachesAThroughTheSharedResult() throws Exception {
        String localB = root + "uws/stack/jb"; // the URL as the client sees it; only its path is read
        ParsedJson doc = json(alice("ID", localB, "DEPTH", "1", "DIRECTION", "BACK"));
        assertThat(activities(doc)).containsOnly(A, B);
        assertThat(doc.section("entity")).containsKey(RESULT_A);
        assertThat(relations(doc, "wasGeneratedBy")).contains(List.of(A, RESULT_A));
        assertThat(relations(doc, "used")).contains(List.of(B, RESULT_A));
        // the bare id and the public URL give the same document; DEPTH 0 only B, with the entity it used
        assertThat(json(alice("ID", "jb", "DEPTH", "1", "DIRECTION", "BACK")).root).isEqualTo(doc.root);
        assertThat(json(alice("ID", B)).root).as("DEPTH 1 and BACK are the defaults").isEqualTo(doc.root);
        ParsedJson only = json(alice("ID", localB, "DEPTH", "0"));
        assertThat(activities(only)).containsOnly(B);
        assertThat(relations(only, "used")).contains(List.of(B, RESULT_A));
        assertThat(relations(only, "wasGeneratedBy")).noneMatch(pair -> pair.get(0).equals(A));
    }

    @Test
    void forthFromAReachesOnlyTheCallersJobs() throws Exception {
        ParsedJson forth = json(alice("ID", A, "DEPTH", "1", "DIRECTION", "FORTH"));
        assertThat(activities(forth)).containsOnly(A, B);
        assertThat(relations(forth, "used")).contains(List.of(B, RESULT_A));
        assertThat(activities(json(alice("ID", A, "DEPTH", "ALL", "DIRECTION", "BACK")))).containsOnly(A);
        // a result URL is an ID too (the job that made it); names and values in any case
        assertThat(activities(json(alice("id", RESULT_A, "depth", "all", "direction", "both")))).containsOnly(A, B);
        // the admin sees Bob's job C too; Bob does not reach Alice's A (404) and his own C stops at A
        assertThat(activities(json(get("admin", null, "provsap", "ID", A, "DIRECTION", "FORTH")))).containsOnly(A, B, C);
        assertThat(get("bob", null, "provsap", "ID", A).statusCode()).isEqualTo(404);
        assertThat(activities(json(get("bob", null, "provsap", "ID", C)))).containsOnly(C);
        assertThat(get(null, null, "provsap", "ID", A).statusCode()).as("anonymous").isEqualTo(404);
    }

    @Test
    void jobListsUnderAnotherServletPathAndLinksFromTheRequest() throws Exception {
        String t = TAP.job("jt");
        assertThat(activities(json(alice("ID", "jt")))).containsOnly(t);
        assertThat(activities(json(alice("ID", root + "tap/tapasync/jt")))).containsOnly(t);
        // the stack list is not served under /tap
        assertThat(alice("ID", root + "tap/stack/jb").statusCode()).isEqualTo(404);
        ParsedJson direct = json(get("alice", null, "direct", "ID", "jb", "DEPTH", "0"));
        assertThat(activities(direct)).containsOnly(root + "uws/stack/jb");
    }

    @Test
    void everyFormatAnswersAndTheCombinedDocumentPassesTheValidators() throws Exception {
        Path dir = Files.createDirectories(Path.of("target/provsap-out").toAbsolutePath());
        HttpResponse<String> xml = get("alice", "application/xml", "provsap", "ID", B);
        HttpResponse<String> vot = alice("ID", B, "RESPONSEFORMAT", "votable");
        HttpResponse<String> jsonDoc = alice("ID", B, "FORMAT", "json");
        for (HttpResponse<String> r : List.of(xml, vot, jsonDoc)) {
            assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
        }
        assertThat(xml.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        Files.writeString(dir.resolve("doc.json"), jsonDoc.body(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("doc.xml"), xml.body(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("doc.votable"), vot.body(), StandardCharsets.UTF_8);
        ProvValidatorsIT.Run check = ProvValidatorsIT.run(dir, ProvValidatorsIT.SCRIPTS.resolve("check-prov.sh").toString(),
                dir.resolve("doc.json").toString(), dir.resolve("doc.xml").toString(),
                dir.resolve("doc.votable").toString(), dir.resolve("check").toString());
        System.out.println("check-prov.sh on the combined document:\n" + check.output());
        assertThat(check.output()).contains("ok   xml: valid against prov.xsd")
                .contains("ok   votable: valid against VOTable.xsd")
                .contains("ok   json: valid against the PROV-JSON schema")
                .contains("ok   json and xml describe the same document")
                .contains("ok   json -> xml -> json gives an equal document");
        assertThat(check.failures()).as(check.output()).isEmpty();
        assertThat(check.exit()).as(check.output()).isZero();
        for (String f : List.of("provn", "dot", "svg")) {
            HttpResponse<String> r = alice("ID", B, "FORMAT", f);
            assertThat(r.statusCode()).as(f + ": " + r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .startsWith(ProvFormat.of(f).mediaType());
        }
        assertThat(get("alice", "text/*;q=0.5, image/svg+xml", "provsap", "ID", B).headers()
                .firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
    }

    @Test
    void badParametersAre400ListingEveryProblem() throws Exception {
        HttpResponse<String> r = alice("ID", B, "DEPTH", "-3", "DIRECTION", "SIDEWAYS");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("DEPTH", "-3", "DIRECTION", "SIDEWAYS");
        assertThat(r.body().strip().lines()).hasSize(2);
        HttpResponse<String> noId = alice("DEPTH", "x", "FORMAT", "pdf");
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(noId.body()).contains("ID is required", "DEPTH", "pdf");
        assertThat(noId.body().strip().lines()).hasSize(3);
        HttpResponse<String> twice = alice("ID", B, "FORMAT", "json", "RESPONSEFORMAT", "xml", "depth", "1", "DEPTH", "2");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("FORMAT must be given once", "DEPTH must be given once");
        // an unknown job with bad parameters is still a 400; unknown parameters are ignored
        assertThat(alice("ID", "nope", "DIRECTION", "UP").statusCode()).isEqualTo(400);
        assertThat(alice("ID", B, "MAXREC", "x").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownOrUnfinishedJobsAre404UnacceptableTypes406AndAStoreOutage503() throws Exception {
        HttpResponse<String> r = alice("ID", "no-such-job");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains("no-such-job");
        assertThat(alice("ID", root + "uws/stack/no-such-job").statusCode()).isEqualTo(404);
        assertThat(alice("ID", root + "elsewhere/x").statusCode()).isEqualTo(404);
        assertThat(alice("ID", "http://[bad").statusCode()).isEqualTo(404);
        HttpResponse<String> pending = alice("ID", "jp");
        assertThat(pending.statusCode()).isEqualTo(404);
        assertThat(pending.body()).contains("PENDING");
        HttpResponse<String> none = get("alice", "application/pdf", "provsap", "ID", B);
        assertThat(none.statusCode()).isEqualTo(406);
        assertThat(none.body()).contains("application/pdf");
        STORE_DOWN.set(true);
        try {
            HttpResponse<String> down = alice("ID", B);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).contains("5");
            assertThat(down.body()).contains("the job store is unavailable");
        } finally {
            STORE_DOWN.set(false);
        }
    }

    @Test
    void theBuilderRefusesWhatCannotBeServed() {
        JobService service = JobService.builder().jobList(JobList.builder("stack").definition(DemoJobs.CHAIN).build())
                .build();
        ProvenanceDocuments documents = ProvenanceDocuments.builder(DemoJobs.PROVENANCE).build();
        assertThatThrownBy(() -> ProvSapServlet.builder(service, documents).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jobLists");
        assertThatThrownBy(() -> ProvSapServlet.builder(service, documents).jobLists("/uws", "nope"))
                .hasMessageContaining("no job list nope");
        assertThatThrownBy(() -> ProvSapServlet.builder(service, documents).jobLists("uws/", "stack"))
                .hasMessageContaining("must start with /");
        assertThatThrownBy(() -> ProvSapServlet.builder(service, documents).jobLists("/uws", "stack")
                .jobLists("/tap", "stack")).hasMessageContaining("twice");
        service.close();
    }
}
