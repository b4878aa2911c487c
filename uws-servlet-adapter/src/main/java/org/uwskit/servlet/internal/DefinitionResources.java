package org.uwskit.servlet.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.uwskit.Caller;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobRef;
import org.uwskit.JobService;
import org.uwskit.OutputDefinition;
import org.uwskit.definition.ActivityDescriptionDocument;
import org.uwskit.definition.CreationSchema;
import org.uwskit.definition.OpenApiDocument;
import org.uwskit.definition.ServiceDescriptor;
import org.uwskit.definition.VosiCapabilities;

/**
 * The descriptions of a job list's job types, beside the UWS 1.1 resource tree of the job list:
 * <ul>
 *   <li>{@code GET {mount}/{jobList}/definitions}: a JSON index of the job types, each with the URLs below;</li>
 *   <li>{@code GET {mount}/{jobList}/definitions/{type}}: the JSON Schema 2020-12 of its creation parameters
 *       ({@value CreationSchema#MEDIA_TYPE}, the default) or its DataLink service descriptor
 *       ({@value ServiceDescriptor#MEDIA_TYPE}), by {@code Accept} or {@code ?FORMAT=schema|votable}; with
 *       {@code ?FORMAT=activity} its IVOA ProvDM ActivityDescription (VOTable, as OPUS writes it), the plan its
 *       jobs' provenance names.</li>
 * </ul>
 * and {@code GET {mount}/openapi.json}: the OpenAPI 3.1 document, {@code GET {mount}/capabilities}: the VOSI
 * capabilities, both of the job lists the caller may use (a job list of either name wins over them).
 * The segment {@value #SEGMENT} can never be a job id (ids are 26 characters of base32), so no UWS resource is
 * shadowed. The caller must be allowed to use the job list (the same rule as listing its jobs). Every answer has
 * an {@code ETag} (a hash of the body) and answers {@code If-None-Match} with 304. Immutable; thread-safe.
 */
public final class DefinitionResources {
    /** The choice of the ProvDM ActivityDescription (only by FORMAT), served as a VOTable. */
    private static final String ACTIVITY = "activity";
    /** The path segment after the job list. */
    public static final String SEGMENT = org.uwskit.servlet.UwsServlet.DEFINITIONS_SEGMENT;
    /** The path, under the mount, of the service's OpenAPI document. */
    public static final String OPENAPI = org.uwskit.servlet.UwsServlet.OPENAPI_PATH;
    /** The path, under the mount, of the service's VOSI capabilities. */
    public static final String CAPABILITIES = org.uwskit.servlet.UwsServlet.CAPABILITIES_PATH;
    private static final String JSON = "application/json";
    private static final List<String> TYPE_OFFERS = List.of(CreationSchema.MEDIA_TYPE, JSON,
            ServiceDescriptor.MEDIA_TYPE, "application/xml", "text/xml");
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final JobService service;
    private final java.util.function.Predicate<String> serves;

    /**
     * @param service the service whose job lists are described
     * @param serves  which of its job lists this servlet serves (the others are unknown here, as for their jobs)
     */
    public DefinitionResources(JobService service, java.util.function.Predicate<String> serves) {
        this.service = service;
        this.serves = serves;
    }

    /**
     * Whether a request path (segments after the mount) is one of these resources: {@code {list}/definitions},
     * {@code {list}/definitions/{type}}, or {@value #OPENAPI} unless a job list has that name.
     */
    public boolean matches(List<String> seg) {
        if (seg.size() == 1) {
            return (seg.get(0).equals(OPENAPI) || seg.get(0).equals(CAPABILITIES))
                    && service.jobList(seg.get(0)).isEmpty();
        }
        return (seg.size() == 2 || seg.size() == 3) && seg.get(1).equals(SEGMENT);
    }

    /**
     * Answers a GET (or HEAD) of one of these resources.
     *
     * @param serviceUrl the absolute URL of the mount (no trailing slash)
     * @throws org.uwskit.AccessDeniedException if the caller may not use the job list
     * @throws HttpProblem                      404 for an unknown job list or type, 406 for an unacceptable Accept
     */
    public void serve(HttpServletRequest req, HttpServletResponse resp, Caller caller, String serviceUrl,
                      List<String> seg) throws IOException {
        if (seg.size() == 1) {
            List<JobList> usable = new java.util.ArrayList<>();
            for (JobList l : service.jobLists()) {
                if (!serves.test(l.name())) {
                    continue;
                }
                try {
                    checkUse(caller, l);
                    usable.add(l);
                } catch (org.uwskit.AccessDeniedException e) {
                    // described only to callers who may use it
                }
            }
            if (seg.get(0).equals(OPENAPI)) {
                send(req, resp, JSON, OpenApiDocument.write("UWS service", serviceUrl, usable));
            } else {
                send(req, resp, VosiCapabilities.MEDIA_TYPE, VosiCapabilities.write(serviceUrl,
                        serviceUrl + "/" + CAPABILITIES, usable, SEGMENT));
            }
            return;
        }
        JobList list = service.jobList(seg.get(0)).filter(l -> serves.test(l.name()))
                .orElseThrow(() -> new HttpProblem(404, "no job list '" + seg.get(0) + "'; this service offers "
                        + service.jobLists().stream().map(JobList::name).filter(serves).toList()));
        service.admit(caller, list.name()); // the job list's access rule and request-rate quota, as for its jobs
        String listUrl = org.uwskit.spi.JobLinks.under(serviceUrl + "/" + list.name()).jobList();
        String base = listUrl + "/" + SEGMENT;
        if (seg.size() == 2) {
            send(req, resp, JSON, index(list, base));
            return;
        }
        String type = seg.get(2);
        JobDefinition d = list.definition(type).orElseThrow(() -> new HttpProblem(404, "no job type '" + type
                + "' in job list " + list.name() + "; it offers " + list.definitions().keySet()));
        Map<String, String> fixed = list.definitions().size() > 1 ? Map.of(list.selector(), d.name()) : Map.of();
        String format = req.getParameter("FORMAT");
        String chosen;
        if (format != null) {
            chosen = switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "schema", "json", "application/schema+json" -> CreationSchema.MEDIA_TYPE;
                case "votable", "datalink", "application/x-votable+xml" -> ServiceDescriptor.MEDIA_TYPE;
                case "activity", "provdm" -> ACTIVITY;
                default -> throw new HttpProblem(400, "FORMAT must be schema, votable or activity");
            };
        } else {
            chosen = Negotiation.choose(req.getHeader("Accept"), TYPE_OFFERS);
            if (chosen == null) {
                throw new HttpProblem(406, "a job type's description is offered as " + TYPE_OFFERS);
            }
        }
        resp.setHeader("Vary", "Accept");
        if (chosen.equals(ACTIVITY)) {
            send(req, resp, ActivityDescriptionDocument.MEDIA_TYPE, ActivityDescriptionDocument.write(d));
        } else if (chosen.equals(CreationSchema.MEDIA_TYPE) || chosen.equals(JSON)) {
            send(req, resp, chosen, CreationSchema.write(d, base + "/" + encode(d.name()), fixed));
        } else {
            send(req, resp, chosen, ServiceDescriptor.write(d, listUrl, fixed));
        }
    }

    /**
     * The job list's own rule, without counting a request against each list's rate: listing runs the service's
     * access check (the stream is lazy, nothing is read).
     */
    private void checkUse(Caller caller, JobList list) {
        try (Stream<JobRef> ignored = service.list(caller, new JobFilter(list.name(), null, true, Set.of(), null, 1))) {
            // nothing to read
        }
    }

    private static String index(JobList list, String base) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("jobList", list.name());
            if (list.description() != null) {
                g.writeStringField("description", list.description());
            }
            if (list.definitions().size() > 1) {
                g.writeStringField("selector", list.selector());
            }
            g.writeArrayFieldStart("jobTypes");
            for (JobDefinition d : list.definitions().values()) {
                String url = base + "/" + encode(d.name());
                g.writeStartObject();
                g.writeStringField("name", d.name());
                if (d.description() != null) {
                    g.writeStringField("description", d.description());
                }
                if (d.version() != null) {
                    g.writeStringField("version", d.version());
                }
                g.writeStringField("parametersSchema", url + "?FORMAT=schema");
                g.writeStringField("serviceDescriptor", url + "?FORMAT=votable");
                g.writeStringField("activityDescription", url + "?FORMAT=activity");
                g.writeArrayFieldStart("outputs");
                for (OutputDefinition o : d.outputs()) {
                    g.writeStartObject();
                    g.writeStringField("id", o.id());
                    if (o.contentType() != null) {
                        g.writeStringField("contentType", o.contentType());
                    }
                    if (o.description() != null) {
                        g.writeStringField("description", o.description());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out + "\n";
    }

    private static void send(HttpServletRequest req, HttpServletResponse resp, String mediaType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String etag = "\"" + hash(mediaType, bytes) + "\"";
        resp.setHeader("ETag", etag);
        resp.setHeader("Cache-Control", "no-cache");
        String inm = req.getHeader("If-None-Match");
        if (inm != null && (inm.trim().equals("*") || List.of(inm.split(",")).stream().map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(etag::equals))) {
            resp.setStatus(304);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(mediaType + ";charset=UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static String hash(String mediaType, byte[] body) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(mediaType.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            return HexFormat.of().formatHex(md.digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
