package org.uwskit.servlet.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.servlet.UwsServlet;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobSerializer;
import org.uwskit.spi.OwnerResolver;

/**
 * The settings of a {@link UwsServlet.Builder} as they are set (the builder is their public face, with the named
 * defaults), and their check and resolution into an {@link AdapterConfig}: the bounds of each value, the document
 * providers' names, the job lists served, the largest upload, the default multipart limit and the body directory.
 * Mutable, not thread-safe: owned by one builder.
 */
public final class AdapterSettings {
    /** What {@link #resolve()} made: the configuration, and the body directory it created (null if given). */
    public record Resolved(AdapterConfig config, Path ownBodyDirectory) {
    }

    private final JobService service;
    /** {@link UwsServlet.Builder#ownerResolver}. */
    public OwnerResolver ownerResolver = OwnerResolver.byPrincipalName();
    /** {@link UwsServlet.Builder#documentProvider}, in order. */
    public final List<JobDocumentProvider> documentProviders = new ArrayList<>();
    /** {@link UwsServlet.Builder#serializer}, in order. */
    public final List<JobSerializer> serializers = new ArrayList<>();
    /** {@link UwsServlet.Builder#retryAfterSeconds}. */
    public int retryAfterSeconds = UwsServlet.Builder.DEFAULT_RETRY_AFTER_SECONDS;
    /** {@link UwsServlet.Builder#maxFormBytes}. */
    public long maxFormBytes = UwsServlet.Builder.DEFAULT_MAX_FORM_BYTES;
    /** {@link UwsServlet.Builder#multipartThreshold}. */
    public int multipartThreshold = UwsServlet.Builder.DEFAULT_MULTIPART_THRESHOLD;
    /** {@link UwsServlet.Builder#waitMargin}. */
    public Duration waitMargin = UwsServlet.Builder.DEFAULT_WAIT_MARGIN;
    /** {@link UwsServlet.Builder#minBodyRate}. */
    public long minBodyRate = UwsServlet.Builder.DEFAULT_MIN_BODY_RATE;
    /** {@link UwsServlet.Builder#bodyRateGrace}. */
    public Duration bodyRateGrace = UwsServlet.Builder.DEFAULT_BODY_RATE_GRACE;
    /** {@link UwsServlet.Builder#bodyTimeout}. */
    public Duration bodyTimeout = UwsServlet.Builder.DEFAULT_BODY_TIMEOUT;
    /** {@link UwsServlet.Builder#maxParts}. */
    public int maxParts = UwsServlet.Builder.DEFAULT_MAX_PARTS;
    /** {@link UwsServlet.Builder#maxMultipartBytes}; -1 for the default computed from the job lists. */
    public long maxMultipartBytes = -1;
    /** {@link UwsServlet.Builder#bodyDirectory}; null for a directory of the servlet's own. */
    public Path bodyDirectory;
    /** {@link UwsServlet.Builder#stylesheet}. */
    public boolean stylesheet = true;
    /** {@link UwsServlet.Builder#html}. */
    public boolean html = true;
    /** {@link UwsServlet.Builder#htmlMaxJobs}. */
    public int htmlMaxJobs = UwsServlet.Builder.DEFAULT_HTML_MAX_JOBS;
    /** {@link UwsServlet.Builder#authenticationChallenge}; null for none. */
    public String authenticationChallenge;
    /** {@link UwsServlet.Builder#publicBaseUrl}; null: links follow the request. */
    public URI publicBaseUrl;
    /** {@link UwsServlet.Builder#allowedOrigins}. */
    public final Set<String> allowedOrigins = new LinkedHashSet<>();
    /** {@link UwsServlet.Builder#hideOtherOwnersJobs}. */
    public boolean hideOtherOwnersJobs;
    /** {@link UwsServlet.Builder#jobLists}; empty for every job list. */
    public final Set<String> jobLists = new LinkedHashSet<>();
    /** {@link UwsServlet.Builder#manager}. */
    public boolean manager = true;
    /** {@link UwsServlet.Builder#changeFeed}; null for none. */
    public JobChangeFeed changeFeed;
    /** {@link UwsServlet.Builder#maxEventStreams}. */
    public int maxEventStreams = UwsServlet.Builder.DEFAULT_MAX_EVENT_STREAMS;
    /** {@link UwsServlet.Builder#maxEventStreamsPerOwner}. */
    public int maxEventStreamsPerOwner = UwsServlet.Builder.DEFAULT_MAX_EVENT_STREAMS_PER_OWNER;
    /** {@link UwsServlet.Builder#callbackReceiver}, by name. */
    public final Map<String, CallbackReceiver> callbackReceivers = new LinkedHashMap<>();

    /** Settings, at their defaults, for a servlet of {@code service}. */
    public AdapterSettings(JobService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * Checks the settings and resolves them; creates the body directory when none was given.
     *
     * @throws IllegalArgumentException naming the bad setting
     * @throws UncheckedIOException     if the body directory cannot be created
     */
    public Resolved resolve() {
        check();
        PublicBaseUrl base = publicBaseUrl == null ? PublicBaseUrl.fromRequest() : PublicBaseUrl.of(publicBaseUrl);
        WebPolicy web = new WebPolicy(base, new OriginCheck(base, allowedOrigins), hideOtherOwnersJobs, jobLists);
        long maxUpload = 0;
        for (JobList l : service.jobLists()) {
            if (!web.serves(l.name())) {
                continue;
            }
            maxUpload = Math.max(maxUpload, l.policy().maxUploadSize());
        }
        Path own = null;
        Path dir = bodyDirectory;
        if (dir == null) {
            try {
                own = Files.createTempDirectory("uwskit-bodies-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the directory for request bodies", e);
            }
            dir = own;
        }
        long multipart = maxMultipartBytes > 0 ? maxMultipartBytes
                : saturatedAdd(saturatedAdd(maxUpload, maxFormBytes), UwsServlet.Builder.MULTIPART_OVERHEAD_BYTES);
        BodyLimits bodies = new BodyLimits(maxFormBytes, multipart, maxUpload, maxParts, multipartThreshold,
                minBodyRate, bodyRateGrace, bodyTimeout, dir);
        ManagerConfig d = ManagerConfig.defaults();
        ManagerConfig managerConfig = new ManagerConfig(manager, changeFeed, maxEventStreams, maxEventStreamsPerOwner,
                d.heartbeat(), d.pollInterval(), d.maxStreamAge(), d.coalesce());
        AdapterConfig c = new AdapterConfig(service, ownerResolver, List.copyOf(documentProviders),
                AdapterConfig.serializers(serializers), retryAfterSeconds, maxFormBytes, multipartThreshold,
                maxUpload, waitMargin, stylesheet, authenticationChallenge, UwsServlet.Builder.STYLESHEET_PATH, html,
                htmlMaxJobs, bodies, web, managerConfig, List.copyOf(callbackReceivers.values()));
        return new Resolved(c, own);
    }

    private void check() {
        require(retryAfterSeconds >= 1, "retryAfterSeconds must be >= 1");
        require(maxFormBytes >= 1, "maxFormBytes must be >= 1");
        require(multipartThreshold >= 0, "multipartThreshold must be >= 0");
        require(htmlMaxJobs >= 1, "htmlMaxJobs must be >= 1");
        require(minBodyRate >= 0, "minBodyRate must be >= 0");
        require(!bodyRateGrace.isNegative(), "bodyRateGrace must not be negative");
        require(!bodyTimeout.isNegative() && !bodyTimeout.isZero(), "bodyTimeout must be positive");
        require(maxParts >= 1, "maxParts must be >= 1");
        require(maxMultipartBytes != 0 && maxMultipartBytes >= -1, "maxMultipartBytes must be >= 1");
        require(!waitMargin.isNegative(), "waitMargin must not be negative");
        List<String> names = new ArrayList<>();
        for (JobDocumentProvider p : documentProviders) {
            String n = p.name();
            if (n == null || n.isEmpty() || n.contains("/") || DocumentResources.SUB_RESOURCES.contains(n)
                    || names.contains(n)) {
                throw new IllegalArgumentException("document provider name '" + n
                        + "' is empty, contains '/', is a UWS sub-resource or is used twice");
            }
            require(!p.mediaTypes().isEmpty(), "document provider " + n + " offers no media type");
            names.add(n);
        }
        for (String n : jobLists) {
            require(service.jobList(n).isPresent(), "jobLists: the service has no job list '" + n + "'");
        }
        require(maxEventStreams >= 1 && maxEventStreamsPerOwner >= 1,
                "maxEventStreams and maxEventStreamsPerOwner must be >= 1");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
