package org.uwskit.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;

/**
 * The OpenAPI 3.1 document of a UWS service: for every job list its UWS 1.1 resources (job list, job, phase,
 * execution duration, destruction, error, quote, owner, results, parameters) with their methods and responses
 * (200 as XML and JSON, 303, 400, 403, 404, 405, 413), the creation form of each job type as a JSON Schema
 * (the same as {@link CreationSchema}; {@code oneOf} by selector when the list has several types) plus UWS's
 * control parameters, DALI's {@code RUNID} as a reusable component, and the job type descriptions. A pure function;
 * thread-safe.
 */
public final class OpenApiDocument {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final String XML = "application/xml";
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";

    private OpenApiDocument() {
    }

    /**
     * The document as a JSON text.
     *
     * @param title       the service's title
     * @param serviceUrl  the URL the job lists are under (the servlet's mount)
     * @param jobLists    the job lists to describe (those the caller may use)
     * @return the OpenAPI 3.1 document
     */
    public static String write(String title, String serviceUrl, Collection<JobList> jobLists) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("openapi", "3.1.0");
            g.writeStringField("jsonSchemaDialect", CreationSchema.DIALECT);
            g.writeObjectFieldStart("info");
            g.writeStringField("title", title);
            g.writeStringField("version", "1.1");
            g.writeStringField("description", "An IVOA Universal Worker Service (UWS 1.1): asynchronous jobs over REST.");
            g.writeEndObject();
            g.writeArrayFieldStart("servers");
            g.writeStartObject();
            g.writeStringField("url", serviceUrl);
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("paths");
            for (JobList l : jobLists) {
                paths(g, l);
            }
            g.writeEndObject();
            components(g, jobLists);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void paths(JsonGenerator g, JobList l) throws IOException {
        String p = "/" + l.name();
        String tag = l.name();
        g.writeObjectFieldStart(p);
        op(g, "get", tag, "list jobs of " + l.name(), l.name() + "-list", () -> {
            queryParam(g, "PHASE", "only jobs in these phases (repeatable)", "string", true);
            queryParam(g, "AFTER", "only jobs created after this instant (ISO 8601)", "string", false);
            queryParam(g, "LAST", "at most this many of the most recent jobs", "integer", false);
        }, null, Map.of("200", "document:the job list (uws:jobs)", "400", "ref:BadRequest", "403", "ref:Forbidden"));
        op(g, "post", tag, "create a job of " + l.name(), l.name() + "-create", null,
                "#/components/schemas/" + creationName(l),
                Map.of("303", "ref:SeeOther", "400", "ref:BadRequest", "403", "ref:Forbidden", "413",
                        "ref:PayloadTooLarge"));
        g.writeEndObject();

        String job = p + "/{jobId}";
        g.writeObjectFieldStart(job);
        jobIdParameter(g);
        op(g, "get", tag, "a job; WAIT blocks until its phase changes", l.name() + "-job", () -> {
            queryParam(g, "WAIT", "seconds to wait for a phase change (-1: the longest allowed)", "integer", false);
            queryParam(g, "PHASE", "wait only while the job is in this phase", "string", false);
        }, null, Map.of("200", "document:the job (uws:job)", "403", "ref:Forbidden", "404", "ref:NotFound"));
        op(g, "post", tag, "run, abort or delete the job (PHASE=RUN|ABORT, ACTION=DELETE)", l.name() + "-job-post", null,
                "#/components/schemas/JobAction", Map.of("303", "ref:SeeOther", "400", "ref:BadRequest", "403",
                        "ref:Forbidden", "404", "ref:NotFound"));
        op(g, "delete", tag, "delete the job", l.name() + "-job-delete", null, null,
                Map.of("303", "ref:SeeOther", "403", "ref:Forbidden", "404", "ref:NotFound"));
        g.writeEndObject();

        for (String sub : List.of("phase", "executionduration", "destruction")) {
            g.writeObjectFieldStart(job + "/" + sub);
            jobIdParameter(g);
            op(g, "get", tag, "the job's " + sub, l.name() + "-" + sub, null, null,
                    Map.of("200", "text:the value", "403", "ref:Forbidden", "404", "ref:NotFound"));
            op(g, "post", tag, "change the job's " + sub, l.name() + "-" + sub + "-post", null,
                    "#/components/schemas/" + (sub.equals("phase") ? "JobAction" : sub.equals("destruction")
                            ? "Destruction" : "ExecutionDuration"),
                    Map.of("303", "ref:SeeOther", "400", "ref:BadRequest", "403", "ref:Forbidden", "404",
                            "ref:NotFound"));
            g.writeEndObject();
        }
        for (String sub : List.of("error", "quote", "owner")) {
            g.writeObjectFieldStart(job + "/" + sub);
            jobIdParameter(g);
            op(g, "get", tag, "the job's " + sub, l.name() + "-" + sub, null, null,
                    Map.of("200", "text:the value", "403", "ref:Forbidden", "404", "ref:NotFound"));
            g.writeEndObject();
        }
        g.writeObjectFieldStart(job + "/results");
        jobIdParameter(g);
        op(g, "get", tag, "the job's results", l.name() + "-results", null, null,
                Map.of("200", "document:the results (uws:results)", "403", "ref:Forbidden", "404", "ref:NotFound"));
        g.writeEndObject();
        g.writeObjectFieldStart(job + "/results/{resultId}");
        pathParam(g, "resultId", "the result id", true);
        op(g, "get", tag, "one result's bytes (Range supported)", l.name() + "-result", null, null,
                Map.of("200", "bytes:the result", "303", "ref:SeeOther", "403", "ref:Forbidden", "404",
                        "ref:NotFound"));
        g.writeEndObject();
        g.writeObjectFieldStart(job + "/parameters");
        jobIdParameter(g);
        op(g, "get", tag, "the job's parameters", l.name() + "-parameters", null, null,
                Map.of("200", "document:the parameters (uws:parameters)", "403", "ref:Forbidden", "404",
                        "ref:NotFound"));
        op(g, "post", tag, "change parameters of a PENDING job", l.name() + "-parameters-post", null,
                "#/components/schemas/" + creationName(l), Map.of("303", "ref:SeeOther", "400", "ref:BadRequest",
                        "403", "ref:Forbidden", "404", "ref:NotFound", "413", "ref:PayloadTooLarge"));
        g.writeEndObject();
        g.writeObjectFieldStart(job + "/parameters/{name}");
        pathParam(g, "name", "the parameter name", true);
        op(g, "get", tag, "one parameter's value (an inline upload's bytes)", l.name() + "-parameter", null, null,
                Map.of("200", "bytes:the value", "403", "ref:Forbidden", "404", "ref:NotFound"));
        g.writeEndObject();
        g.writeObjectFieldStart(p + "/definitions");
        op(g, "get", tag, "the job types of " + l.name() + " (JSON index)", l.name() + "-definitions", null, null,
                Map.of("200", "json:the index", "403", "ref:Forbidden", "405", "ref:MethodNotAllowed"));
        g.writeEndObject();
        g.writeObjectFieldStart(p + "/definitions/{type}");
        pathParam(g, "type", "the job type", false);
        op(g, "get", tag, "a job type's creation parameters as JSON Schema, or its DataLink service descriptor",
                l.name() + "-definition", () -> queryParam(g, "FORMAT", "schema, votable or activity (the ProvDM ActivityDescription)", "string", false), null,
                Map.of("200", "description:the description", "404", "ref:NotFound", "405", "ref:MethodNotAllowed"));
        g.writeEndObject();
    }

    private interface Body {
        void write() throws IOException;
    }

    private static void op(JsonGenerator g, String method, String tag, String summary, String id, Body params,
                           String requestSchema, Map<String, String> responses) throws IOException {
        g.writeObjectFieldStart(method);
        g.writeArrayFieldStart("tags");
        g.writeString(tag);
        g.writeEndArray();
        g.writeStringField("summary", summary);
        g.writeStringField("operationId", id);
        if (params != null) {
            g.writeArrayFieldStart("parameters");
            params.write();
            g.writeEndArray();
        }
        if (requestSchema != null) {
            g.writeObjectFieldStart("requestBody");
            g.writeBooleanField("required", true);
            g.writeObjectFieldStart("content");
            for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data")) {
                g.writeObjectFieldStart(type);
                g.writeObjectFieldStart("schema");
                g.writeStringField("$ref", requestSchema);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeObjectFieldStart("responses");
        for (String code : new java.util.TreeSet<>(responses.keySet())) {
            String what = responses.get(code);
            g.writeObjectFieldStart(code);
            if (what.startsWith("ref:")) {
                g.writeStringField("$ref", "#/components/responses/" + what.substring(4));
            } else {
                String kind = what.substring(0, what.indexOf(':'));
                g.writeStringField("description", what.substring(what.indexOf(':') + 1));
                g.writeObjectFieldStart("content");
                switch (kind) {
                    case "document" -> {
                        content(g, XML, "string", "a UWS 1.1 document (namespace http://www.ivoa.net/xml/UWS/v1.0)");
                        content(g, JSON, "object", "the same document as JSON (Accept: application/json or FORMAT=json)");
                    }
                    case "text" -> content(g, TEXT, "string", null);
                    case "json" -> content(g, JSON, "object", null);
                    case "description" -> {
                        content(g, CreationSchema.MEDIA_TYPE, "object", "JSON Schema 2020-12");
                        content(g, ServiceDescriptor.MEDIA_TYPE, "string", "DataLink 1.1 service descriptor");
                    }
                    default -> content(g, "application/octet-stream", "string", "the bytes, with their own media type");
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void content(JsonGenerator g, String type, String schemaType, String description)
            throws IOException {
        g.writeObjectFieldStart(type);
        g.writeObjectFieldStart("schema");
        g.writeStringField("type", schemaType);
        if (description != null) {
            g.writeStringField("description", description);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void jobIdParameter(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("parameters");
        g.writeStartObject();
        g.writeStringField("$ref", "#/components/parameters/jobId");
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void pathParam(JsonGenerator g, String name, String description, boolean withJobId)
            throws IOException {
        g.writeArrayFieldStart("parameters");
        if (withJobId) {
            g.writeStartObject();
            g.writeStringField("$ref", "#/components/parameters/jobId");
            g.writeEndObject();
        }
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("in", "path");
        g.writeBooleanField("required", true);
        g.writeStringField("description", description);
        g.writeObjectFieldStart("schema");
        g.writeStringField("type", "string");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void queryParam(JsonGenerator g, String name, String description, String type, boolean repeat)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("in", "query");
        g.writeStringField("description", description);
        g.writeObjectFieldStart("schema");
        if (repeat) {
            g.writeStringField("type", "array");
            g.writeObjectFieldStart("items");
            g.writeStringField("type", type);
            g.writeEndObject();
        } else {
            g.writeStringField("type", type);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static String creationName(JobList l) {
        return "create-" + l.name();
    }

    private static void components(JsonGenerator g, Collection<JobList> lists) throws IOException {
        g.writeObjectFieldStart("components");
        g.writeObjectFieldStart("schemas");
        for (JobList l : lists) {
            g.writeObjectFieldStart(creationName(l));
            g.writeArrayFieldStart("allOf");
            g.writeStartObject();
            g.writeStringField("$ref", "#/components/schemas/Control");
            g.writeEndObject();
            if (l.definitions().size() == 1) {
                JobDefinition d = l.definitions().values().iterator().next();
                g.writeRawValue(CreationSchema.write(d, null, Map.of(), false).strip());
            } else {
                g.writeStartObject();
                g.writeArrayFieldStart("oneOf");
                for (JobDefinition d : l.definitions().values()) {
                    g.writeRawValue(CreationSchema.write(d, null, Map.of(l.selector(), d.name()), false).strip());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (l.definitions().values().stream().allMatch(JobDefinition::strict)) {
                // strict job types refuse undeclared parameters; the control parameters are evaluated by allOf
                g.writeBooleanField("unevaluatedProperties", false);
            }
            g.writeEndObject();
        }
        g.writeFieldName("Control");
        g.writeRawValue("""
                {"type": "object", "description": "UWS control parameters, accepted beside the job's own",
                 "properties": {
                   "RUNID": {"$ref": "#/components/schemas/RUNID"},
                   "PHASE": {"const": "RUN", "description": "start the job at once"},
                   "EXECUTIONDURATION": {"type": "integer", "minimum": 0, "description": "seconds; 0 = no limit"},
                   "DESTRUCTION": {"type": "string", "format": "date-time"}}}""");
        g.writeFieldName("RUNID");
        g.writeRawValue("""
                {"type": "string", "description": "DALI 1.2 RUNID: a client's label for the job, returned as uws:runId"}""");
        g.writeFieldName("JobAction");
        g.writeRawValue("""
                {"type": "object", "properties": {"PHASE": {"enum": ["RUN", "ABORT"]}, "ACTION": {"const": "DELETE"}}}""");
        g.writeFieldName("ExecutionDuration");
        g.writeRawValue("""
                {"type": "object", "required": ["EXECUTIONDURATION"],
                 "properties": {"EXECUTIONDURATION": {"type": "integer", "minimum": 0}}}""");
        g.writeFieldName("Destruction");
        g.writeRawValue("""
                {"type": "object", "required": ["DESTRUCTION"],
                 "properties": {"DESTRUCTION": {"type": "string", "format": "date-time"}}}""");
        g.writeEndObject();
        g.writeObjectFieldStart("parameters");
        g.writeFieldName("jobId");
        g.writeRawValue("""
                {"name": "jobId", "in": "path", "required": true, "description": "the job id",
                 "schema": {"type": "string"}}""");
        g.writeEndObject();
        g.writeObjectFieldStart("responses");
        response(g, "SeeOther", "see the Location header (the job, or the job list after a deletion)", true);
        response(g, "BadRequest", "a malformed or invalid value; the message lists every problem", false);
        response(g, "Forbidden", "not allowed for this caller, or not in the job's phase", false);
        response(g, "NotFound", "no such job list, job, result or parameter", false);
        response(g, "MethodNotAllowed", "see the Allow header", false);
        response(g, "PayloadTooLarge", "a value or upload above the job list's limits", false);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void response(JsonGenerator g, String name, String description, boolean location)
            throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("description", description);
        if (location) {
            g.writeObjectFieldStart("headers");
            g.writeObjectFieldStart("Location");
            g.writeObjectFieldStart("schema");
            g.writeStringField("type", "string");
            g.writeStringField("format", "uri");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } else {
            g.writeObjectFieldStart("content");
            content(g, TEXT, "string", null);
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
