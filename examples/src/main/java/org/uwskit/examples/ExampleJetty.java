package org.uwskit.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.examples.internal.IndexServlet;
import org.uwskit.examples.internal.StrictBasicAuthenticator;
import org.uwskit.examples.internal.TextErrorHandler;
import org.uwskit.examples.internal.UsersFile;
import org.uwskit.prov.ProvenanceDocuments;
import org.uwskit.prov.servlet.ProvSapServlet;
import org.uwskit.servlet.UwsServlet;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.OwnerResolver;

/**
 * The example server's Jetty: the connector and its limits, the UWS servlets at {@value ExampleServer#UWS_PATH} and
 * {@value ExampleServer#TAP_PATH}, the ProvSAP endpoint at {@value ExampleServer#PROVSAP_PATH}, the index page, the
 * text error pages, HTTP Basic authentication with {@code --users}, and the graceful stop. Stateless.
 */
final class ExampleJetty {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleJetty.class);

    private ExampleJetty() {
    }

    /** Jetty with its connector bound (so that {@code --port 0} has its port), not configured, not started. */
    static Server bind(ExampleOptions options) {
        QueuedThreadPool threads = new QueuedThreadPool(ExampleServer.MAX_HTTP_THREADS);
        threads.setName("uwskit-http");
        Server jetty = new Server(threads);
        jetty.setStopTimeout(ExampleServer.HTTP_STOP_TIMEOUT_MILLIS);
        jetty.setStopAtShutdown(false);
        HttpConfiguration http = new HttpConfiguration();
        http.setMinRequestDataRate(ExampleServer.MIN_REQUEST_DATA_RATE);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setIdleTimeout(ExampleServer.HTTP_IDLE_TIMEOUT_MILLIS);
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        try {
            connector.open(); // bind now: with --port 0 the public URL needs the actual port
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port(), e);
        }
        return jetty;
    }

    /**
     * Configures a {@link #bind bound} Jetty: the servlets, error pages, authentication and graceful stop.
     *
     * @param users     the users of {@code --users}, or null for anonymous use
     * @param feed      the store's change feed for the job manager's live updates, or null for none
     * @param receivers the SLURM backend's callback receivers, mounted in {@value ExampleServer#UWS_PATH} and left
     *                  open under Basic authentication (batch jobs have no user; they present the job's token)
     */
    static void configure(Server jetty, ExampleOptions options, JobService service, UsersFile users,
                          ProvenanceDocuments provenance, JobChangeFeed feed, List<CallbackReceiver> receivers) {
        ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
        URI publicUrl = publicUrl(options, connector.getLocalPort());
        if (publicUrl == null) {
            LOG.warn("--host {} is a wildcard address and no --public-url is set: the links the server writes follow "
                    + "each request's Host header, which clients choose; set --public-url", options.host());
        }
        jetty.setErrorHandler(TextErrorHandler.server());

        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        ctx.setContextPath("/");
        // one resolver for both servlets, so /provsap sees exactly the jobs the UWS job lists show the caller
        OwnerResolver owners = OwnerResolver.byPrincipalName();
        // /uws serves demo and wordcount, /tap only "async" (TAP's async endpoint): each list under one prefix
        List<String> loopback = options.publicUrl() == null ? loopbackOrigins(options.host(), connector.getLocalPort())
                : List.of();
        // /uws also serves every job list made from a definition file (--definitions)
        List<String> uwsLists = service.jobLists().stream().map(JobList::name)
                .filter(n -> !n.equals(DemoJobs.TAP_ASYNC)).toList();
        UwsServlet.Builder uws = uwsServlet(service, owners, provenance, users, publicUrl, loopback, feed,
                uwsLists.toArray(String[]::new));
        receivers.forEach(uws::callbackReceiver); // the SLURM jobs' callbacks: /uws/_callbacks/slurm/...
        addUws(ctx, "uws", ExampleServer.UWS_PATH, uws.build());
        addUws(ctx, "tap", ExampleServer.TAP_PATH, uwsServlet(service, owners, provenance, users, publicUrl, loopback,
                feed, DemoJobs.TAP_ASYNC).build());
        ctx.addServlet(new ServletHolder("provsap", ProvSapServlet.builder(service, provenance).ownerResolver(owners)
                .jobLists(ExampleServer.UWS_PATH, uwsLists.toArray(String[]::new))
                .jobLists(ExampleServer.TAP_PATH, DemoJobs.TAP_ASYNC)
                .publicBaseUrl(publicUrl).build()), ExampleServer.PROVSAP_PATH);
        ctx.setErrorHandler(TextErrorHandler.servlet());
        ctx.addServlet(new ServletHolder("index", new IndexServlet(service, ExampleServer.UWS_PATH,
                ExampleServer.TAP_PATH)), "");
        if (users != null) {
            ctx.setSecurityHandler(basicAuthentication(users, !receivers.isEmpty()));
        }
        // stop() lets requests under way finish (up to the stop timeout) and refuses new ones
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(ctx);
        jetty.setHandler(graceful);
    }

    /**
     * HTTP Basic authentication against the users file, required on every path but, with {@code callbacks}, the
     * SLURM jobs' callbacks (batch jobs have no user: their callbacks carry the job's own token).
     */
    private static ConstraintSecurityHandler basicAuthentication(UsersFile users, boolean callbacks) {
        ConstraintSecurityHandler security = new ConstraintSecurityHandler();
        security.setLoginService(users.loginService());
        security.setAuthenticator(new StrictBasicAuthenticator(UsersFile.REALM));
        security.setRealmName(UsersFile.REALM);
        ConstraintMapping all = new ConstraintMapping();
        all.setPathSpec("/*");
        all.setConstraint(Constraint.ANY_USER);
        security.addConstraintMapping(all);
        if (callbacks) {
            ConstraintMapping open = new ConstraintMapping();
            open.setPathSpec(ExampleServer.UWS_PATH + "/" + CallbackReceiver.SEGMENT + "/*");
            open.setConstraint(Constraint.ALLOWED);
            security.addConstraintMapping(open);
        }
        return security;
    }

    private static UwsServlet.Builder uwsServlet(JobService service, OwnerResolver owners, ProvenanceDocuments provenance,
                                         UsersFile users, URI publicUrl, List<String> alsoAllowed,
                                         JobChangeFeed feed, String... lists) {
        UwsServlet.Builder ub = UwsServlet.builder(service).ownerResolver(owners).documentProvider(provenance)
                .jobLists(lists).allowedOrigins(alsoAllowed.toArray(String[]::new));
        if (publicUrl != null) {
            ub.publicBaseUrl(publicUrl);
        }
        if (feed != null) {
            ub.changeFeed(feed); // the job manager's live updates (/uws/_manager/), from the store's change feed
        }
        if (users != null) {
            ub.authenticationChallenge("Basic realm=\"" + UsersFile.REALM + "\"");
        }
        return ub;
    }

    private static void addUws(ServletContextHandler ctx, String name, String path, UwsServlet servlet) {
        ServletHolder holder = new ServletHolder(name, servlet);
        holder.setAsyncSupported(true);
        ctx.addServlet(holder, path + "/*");
    }

    /** The port Jetty listens on (the actual one with {@code --port 0}). */
    static int localPort(Server jetty) {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** Ends the job manager's event streams (they would hold the graceful stop until its timeout), then stops. */
    static void stop(Server jetty) {
        try {
            for (ServletContextHandler ctx : jetty.getDescendants(ServletContextHandler.class)) {
                for (ServletHolder h : ctx.getServletHandler().getServlets()) {
                    if (h.getServletInstance() instanceof UwsServlet uws) {
                        uws.endEventStreams();
                    }
                }
            }
            jetty.stop();
            for (org.eclipse.jetty.server.Connector c : jetty.getConnectors()) {
                if (c instanceof ServerConnector sc && sc.isOpen()) {
                    sc.close(); // bound but never started (a start that failed early)
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * On a loopback --host, a browser may name the server localhost, 127.0.0.1 or [::1]: pages from any of these (same
     * port) may change state, so that the HTML forms work whichever name the user typed.
     */
    static List<String> loopbackOrigins(String host, int port) {
        if (!(host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("::1")
                || host.equals("[::1]"))) {
            return List.of();
        }
        return List.of("http://localhost:" + port, "http://127.0.0.1:" + port, "http://[::1]:" + port);
    }

    /**
     * The public URL links start with: {@code --public-url}, else {@code http://HOST:PORT} with the actual port, else
     * (a wildcard HOST) null: links from each request.
     */
    static URI publicUrl(ExampleOptions options, int port) {
        if (options.publicUrl() != null) {
            return options.publicUrl();
        }
        String h = options.host();
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("0:0:0:0:0:0:0:0") || h.isEmpty()) {
            return null;
        }
        return URI.create("http://" + hostForUrl(h) + ":" + port);
    }

    /** The host as it stands in a URL: an IPv6 address in brackets. */
    static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
