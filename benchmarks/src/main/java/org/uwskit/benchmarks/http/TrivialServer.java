package org.uwskit.benchmarks.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The physical-limit baseline of the HTTP benchmark: the same Jetty 12 (ee10) as the example server, with the same
 * thread pool and connector settings (64 request threads, 1024 B/s minimum request data rate, 30 s idle timeout, no
 * server version), serving one servlet that does nothing else: a POST reads its body and answers 303 with a
 * {@code Location}, a GET answers a fixed XML document of the size of the example server's job document, and a GET
 * of a path ending in {@value #LIST_PATH} a fixed job list of {@value #LIST_JOBS} jobs made once at start (XML, or
 * JSON if the {@code Accept} header names {@code application/json}), written from a byte array: the least a job
 * list of that size costs over this Jetty.
 *
 * <p>Run: {@code java -cp benchmarks.jar org.uwskit.benchmarks.http.TrivialServer PORT}; prints {@code ready}.
 * Stops on SIGTERM.
 */
public final class TrivialServer {
    /** The settings the example server uses (org.uwskit.examples.ExampleServer), repeated here on purpose. */
    static final int MAX_HTTP_THREADS = 64;
    static final long MIN_REQUEST_DATA_RATE = 1024;
    static final long HTTP_IDLE_TIMEOUT_MILLIS = 30_000;

    /**
     * A fixed UWS job document, shaped and sized as the example server's answer to a GET of a PENDING demo job
     * (740 bytes).
     */
    static final byte[] DOCUMENT = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<?xml-stylesheet type=\"text/xsl\" href=\"/uws/uws.xsl\"?>\n"
            + "<uws:job xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1\">"
            + "<uws:jobId>apf5vaaxmjqbesezvldsv73mdo</uws:jobId><uws:ownerId xsi:nil=\"true\"/>"
            + "<uws:phase>PENDING</uws:phase><uws:quote xsi:nil=\"true\"/>"
            + "<uws:creationTime>2026-12-05T17:44:50.763Z</uws:creationTime><uws:startTime xsi:nil=\"true\"/>"
            + "<uws:endTime xsi:nil=\"true\"/><uws:executionDuration>3600</uws:executionDuration>"
            + "<uws:destruction>2026-12-12T17:44:50.763Z</uws:destruction><uws:parameters>"
            + "<uws:parameter id=\"SECONDS\">1</uws:parameter></uws:parameters><uws:results></uws:results></uws:job>")
            .getBytes(StandardCharsets.UTF_8);

    /** The path suffix of the fixed job lists. */
    static final String LIST_PATH = "/list";
    /** Jobs in the fixed job lists. */
    static final int LIST_JOBS = 10_000;
    static final byte[] LIST_XML;
    static final byte[] LIST_JSON;

    static {
        String base = "http://127.0.0.1:18200/tap/async/";
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<uws:jobs "
                + "xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" version=\"1.1\">");
        StringBuilder json = new StringBuilder("{\"version\":\"1.1\",\"jobs\":[");
        for (int i = 0; i < LIST_JOBS; i++) {
            String id = String.format("apf5vaaxmjqbesez%010d", i);
            String time = "2026-12-05T17:44:50.763Z";
            xml.append("<uws:jobref id=\"").append(id).append("\" xlink:href=\"").append(base).append(id)
                    .append("\"><uws:phase>PENDING</uws:phase><uws:ownerId xsi:nil=\"true\"/><uws:creationTime>")
                    .append(time).append("</uws:creationTime></uws:jobref>");
            json.append(i == 0 ? "" : ",").append("{\"jobId\":\"").append(id).append("\",\"href\":\"")
                    .append(base).append(id).append("\",\"phase\":\"PENDING\",\"runId\":null,\"ownerId\":null,")
                    .append("\"creationTime\":\"").append(time).append("\"}");
        }
        LIST_XML = xml.append("</uws:jobs>").toString().getBytes(StandardCharsets.UTF_8);
        LIST_JSON = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private TrivialServer() {
    }

    /** Starts the server on 127.0.0.1:{@code port}; the caller stops it. */
    public static Server start(int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_HTTP_THREADS);
        threads.setName("trivial-http");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setIdleTimeout(HTTP_IDLE_TIMEOUT_MILLIS);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        ctx.setContextPath("/");
        ctx.addServlet(new ServletHolder("trivial", new Trivial()), "/*");
        jetty.setHandler(ctx);
        jetty.start();
        return jetty;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Server jetty = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                jetty.stop();
            } catch (Exception e) {
                // exiting anyway
            }
        }, "trivial-shutdown"));
        System.out.println("trivial server at http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0])
                .getLocalPort() + "/");
        System.out.println("ready");
        System.out.flush();
        jetty.join();
    }

    /** 303 on POST (after reading the body), the fixed document on GET. */
    static final class Trivial extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try (InputStream in = req.getInputStream()) {
                in.transferTo(OutputStreamSink.INSTANCE);
            }
            resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
            resp.setHeader("Location", "http://127.0.0.1/uws/demo/apf5vaaxmjqbesezvldsv73mdo");
            resp.setContentLength(0);
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            byte[] body = DOCUMENT;
            String type = "application/xml;charset=UTF-8";
            if (req.getRequestURI().endsWith(LIST_PATH)) {
                String accept = req.getHeader("Accept");
                boolean json = accept != null && accept.contains("application/json");
                body = json ? LIST_JSON : LIST_XML;
                type = json ? "application/json;charset=utf-8" : type;
            }
            resp.setContentType(type);
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }

    /** Discards bytes. */
    static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
