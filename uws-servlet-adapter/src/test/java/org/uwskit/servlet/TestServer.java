package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.uwskit.Engine;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobService;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.xml.UwsSchema;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * A real Jetty 12 (ee10) on 127.0.0.1 and an ephemeral port, with a {@link UwsServlet} at {@code /uws/*} over an
 * in-memory {@link JobService}, a manual {@link Engine} with the {@link ScriptedBackend}, and a test filter that
 * authenticates from the {@code X-User} header (roles in {@code X-Roles}). Job lists: {@code demo} (authenticated
 * users only) and {@code open} (anonymous allowed, no destruction).
 */
final class TestServer implements AutoCloseable {
    static final int MAX_THREADS = 20;

    final JobService service;
    final ScriptedBackend backend = new ScriptedBackend();
    final FlakyStore store = new FlakyStore();
    final Engine engine;
    final Server server;
    final QueuedThreadPool pool;
    final HttpClient client;
    final AtomicInteger suspended = new AtomicInteger();
    final String base;

    TestServer() throws Exception {
        this(p -> { }, b -> { });
    }

    TestServer(Consumer<JobListPolicy.Builder> demoPolicy, Consumer<UwsServlet.Builder> servletConfig) throws Exception {
        this(demoPolicy, servletConfig, j -> { });
    }

    /** As above; {@code serviceConfig} may add job lists, a quote estimator or a clock to the service. */
    TestServer(Consumer<JobListPolicy.Builder> demoPolicy, Consumer<UwsServlet.Builder> servletConfig,
               Consumer<JobService.Builder> serviceConfig) throws Exception {
        this(demoPolicy, servletConfig, serviceConfig, c -> { });
    }

    /** As above; {@code contextConfig} may change Jetty's servlet context (e.g. its temp directory). */
    TestServer(Consumer<JobListPolicy.Builder> demoPolicy, Consumer<UwsServlet.Builder> servletConfig,
               Consumer<JobService.Builder> serviceConfig, Consumer<ServletContextHandler> contextConfig)
            throws Exception {
        JobListPolicy.Builder pb = JobListPolicy.builder()
                .maxWait(Duration.ofSeconds(30))
                .maxUploadSize(1 << 20)
                .maxParameterLength(10_000)
                .maxExecutingJobs(100_000);
        demoPolicy.accept(pb);
        JobList demo = JobList.builder("demo").definition(JobDefinition.builder("demo").build()).policy(pb.build()).build();
        JobList open = JobList.builder("open").definition(JobDefinition.builder("open").build())
                .policy(JobListPolicy.builder().allowAnonymous(true).defaultRetention(null).build()).build();
        JobService.Builder jb = JobService.builder().jobList(demo).jobList(open).store(store)
                .resultStore(new InMemoryResultStore());
        serviceConfig.accept(jb);
        service = jb.build();
        engine = Engine.builder(service).backend(backend).manual().build();
        UwsServlet.Builder sb = UwsServlet.builder(service);
        servletConfig.accept(sb);
        UwsServlet servlet = sb.build();

        pool = new QueuedThreadPool(MAX_THREADS, 4);
        pool.setName("test-jetty");
        server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(120_000);
        connector.setAcceptQueueSize(2048);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        contextConfig.accept(context);
        FilterHolder auth = new FilterHolder(new AuthFilter(suspended));
        auth.setAsyncSupported(true);
        context.addFilter(auth, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/uws/*");
        server.setHandler(context);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/uws";
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            engine.close();
            service.close();
        }
    }

    // ------------------------------------------------------------ requests

    HttpRequest.Builder request(String pathOrUrl, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl))
                .timeout(Duration.ofSeconds(60));
        if (user != null) {
            b.header("X-User", user);
        }
        return b;
    }

    Reply send(HttpRequest r) throws IOException, InterruptedException {
        return new Reply(client.send(r, HttpResponse.BodyHandlers.ofByteArray()));
    }

    Reply get(String path, String user, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path, user).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Reply post(String path, String user, String... pairs) throws IOException, InterruptedException {
        return send(request(path, user).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(pairs))).build());
    }

    Reply method(String method, String path, String user) throws IOException, InterruptedException {
        return send(request(path, user).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    static String form(String... pairs) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (s.length() > 0) {
                s.append('&');
            }
            s.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    /** Creates a job in {@code demo} as {@code user} and returns its id (checks the 303 of item 67). */
    String create(String user, String... pairs) throws IOException, InterruptedException {
        Reply r = post("/demo", user, pairs);
        assertThat(r.status()).as("creation answer: %s", r.text()).isEqualTo(303);
        String loc = r.header("Location");
        assertThat(loc).startsWith(base + "/demo/");
        return loc.substring(loc.lastIndexOf('/') + 1);
    }

    /** A multipart/form-data body: each part is {name, fileName (or null), contentType (or null), bytes}. */
    static final class Multipart {
        final String boundary = "----uwskit-test-boundary-7d93";
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            return part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }

        Multipart part(String name, String fileName, String contentType, byte[] bytes) {
            StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(name).append('"');
            if (fileName != null) {
                h.append("; filename=\"").append(fileName).append('"');
            }
            h.append("\r\n");
            if (contentType != null) {
                h.append("Content-Type: ").append(contentType).append("\r\n");
            }
            h.append("\r\n");
            out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bytes);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            return this;
        }

        HttpRequest.BodyPublisher publisher() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return HttpRequest.BodyPublishers.ofByteArray(all.toByteArray());
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }
    }

    // ------------------------------------------------------------ replies

    record Reply(HttpResponse<byte[]> response) {
        int status() {
            return response.statusCode();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        byte[] body() {
            return response.body();
        }

        String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        /** Asserts 200 and an XML content type, validates the body against the UWS 1.1 schema and parses it. */
        Xml xml() {
            assertThat(status()).as("status of %s: %s", response.uri(), text()).isEqualTo(200);
            assertThat(header("Content-Type")).startsWith("application/xml");
            UwsSchema.instance().validate(body());
            return Xml.parse(body());
        }
    }

    /** A parsed UWS document with namespace-aware XPath (prefixes uws, xlink, xsi). */
    record Xml(Document doc, XPath xpath) {
        static Xml parse(byte[] bytes) {
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(true);
                Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
                XPath x = XPathFactory.newInstance().newXPath();
                x.setNamespaceContext(new javax.xml.namespace.NamespaceContext() {
                    @Override
                    public String getNamespaceURI(String prefix) {
                        return switch (prefix) {
                            case "uws" -> "http://www.ivoa.net/xml/UWS/v1.0";
                            case "xlink" -> "http://www.w3.org/1999/xlink";
                            case "xsi" -> "http://www.w3.org/2001/XMLSchema-instance";
                            default -> null;
                        };
                    }

                    @Override
                    public String getPrefix(String uri) {
                        return null;
                    }

                    @Override
                    public java.util.Iterator<String> getPrefixes(String uri) {
                        return java.util.Collections.emptyIterator();
                    }
                });
                return new Xml(d, x);
            } catch (Exception e) {
                throw new AssertionError("not XML: " + new String(bytes, StandardCharsets.UTF_8), e);
            }
        }

        String s(String expr) {
            try {
                return xpath.evaluate(expr, doc);
            } catch (Exception e) {
                throw new AssertionError(expr, e);
            }
        }

        List<String> all(String expr) {
            try {
                NodeList nl = (NodeList) xpath.evaluate(expr, doc, XPathConstants.NODESET);
                List<String> out = new ArrayList<>();
                for (int i = 0; i < nl.getLength(); i++) {
                    out.add(nl.item(i).getTextContent());
                }
                return out;
            } catch (Exception e) {
                throw new AssertionError(expr, e);
            }
        }
    }

    /** Authenticates from X-User / X-Roles, and counts requests left suspended (async) by the servlet. */
    static final class AuthFilter implements Filter {
        private final AtomicInteger suspended;

        AuthFilter(AtomicInteger suspended) {
            this.suspended = suspended;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            String user = req.getHeader("X-User");
            ServletRequest effective = req;
            if (user != null) {
                String roles = req.getHeader("X-Roles");
                Set<String> roleSet = roles == null ? Set.of() : Set.of(roles.split(","));
                Principal principal = () -> user;
                effective = new HttpServletRequestWrapper(req) {
                    @Override
                    public Principal getUserPrincipal() {
                        return principal;
                    }

                    @Override
                    public String getRemoteUser() {
                        return user;
                    }

                    @Override
                    public boolean isUserInRole(String role) {
                        return roleSet.contains(role);
                    }
                };
            }
            chain.doFilter(effective, response);
            if (effective.isAsyncStarted()) {
                suspended.incrementAndGet();
            }
        }
    }
}
