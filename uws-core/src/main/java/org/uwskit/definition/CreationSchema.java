package org.uwskit.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import org.uwskit.JobDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

/**
 * The JSON Schema (draft 2020-12) of the parameters that create a job of one type: one property per declared
 * parameter with its JSON type, default, range ({@code minimum}/{@code maximum}), options ({@code enum}), pattern and
 * description; {@code required}; {@code additionalProperties: false} for a strict job type. A parameter that takes
 * several values is an array of at most {@code maxOccurs} items. Annotations JSON Schema has no word for are
 * written as {@code x-unit}, {@code x-ucd}, {@code x-contentTypes} and {@code x-maxSize} (2020-12 keeps unknown
 * keywords as annotations). A FILE is a string {@code format: uri-reference} with {@code x-upload: true}: an
 * inline upload ({@code param:NAME}) or a URL. Values travel as form fields; the schema describes them typed, as a
 * client builds its form. A pure function; thread-safe.
 */
public final class CreationSchema {
    /** The media type the schema is served as. */
    public static final String MEDIA_TYPE = "application/schema+json";
    /** The JSON Schema dialect written. */
    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private CreationSchema() {
    }

    /**
     * The schema as a JSON text.
     *
     * @param definition the job type
     * @param id         the schema's {@code $id} (its URL), or null
     * @param fixed      parameters whose value is fixed (e.g. the job list's selector naming the job type), written
     *                   as required {@code const} properties; may be empty
     * @return the schema
     */
    public static String write(JobDefinition definition, String id, Map<String, String> fixed) {
        return write(definition, id, fixed, true);
    }

    /** As above; {@code closed} false leaves {@code additionalProperties} out (for embedding under allOf). */
    static String write(JobDefinition definition, String id, Map<String, String> fixed, boolean closed) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("$schema", DIALECT);
            if (id != null) {
                g.writeStringField("$id", id);
            }
            g.writeStringField("title", definition.name());
            if (definition.description() != null) {
                g.writeStringField("description", definition.description());
            }
            if (definition.version() != null) {
                g.writeStringField("x-version", definition.version());
            }
            g.writeStringField("type", "object");
            g.writeObjectFieldStart("properties");
            for (Map.Entry<String, String> f : fixed.entrySet()) {
                g.writeObjectFieldStart(f.getKey());
                g.writeStringField("const", f.getValue());
                g.writeEndObject();
            }
            for (ParameterDefinition p : definition.parameters().values()) {
                g.writeFieldName(p.name());
                property(g, p);
            }
            g.writeEndObject();
            g.writeArrayFieldStart("required");
            for (String f : fixed.keySet()) {
                g.writeString(f);
            }
            for (ParameterDefinition p : definition.parameters().values()) {
                if (p.required()) {
                    g.writeString(p.name());
                }
            }
            g.writeEndArray();
            if (closed) {
                g.writeBooleanField("additionalProperties", !definition.strict());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString() + "\n";
    }

    private static void property(JsonGenerator g, ParameterDefinition p) throws IOException {
        g.writeStartObject();
        if (p.description() != null) {
            g.writeStringField("description", p.description());
        }
        if (p.maxOccurs() > 1) {
            g.writeStringField("type", "array");
            if (p.maxOccurs() != ParameterDefinition.UNBOUNDED) {
                g.writeNumberField("maxItems", p.maxOccurs());
            }
            g.writeObjectFieldStart("items");
            single(g, p);
            g.writeEndObject();
        } else {
            single(g, p);
        }
        if (p.unit() != null) {
            g.writeStringField("x-unit", p.unit());
        }
        if (p.ucd() != null) {
            g.writeStringField("x-ucd", p.ucd());
        }
        g.writeEndObject();
    }

    private static void single(JsonGenerator g, ParameterDefinition p) throws IOException {
        switch (p.type()) {
            case INTEGER -> g.writeStringField("type", "integer");
            case REAL -> g.writeStringField("type", "number");
            case BOOLEAN -> g.writeStringField("type", "boolean");
            case ENUMERATED -> {
                g.writeStringField("type", "string");
                g.writeArrayFieldStart("enum");
                for (String o : p.options()) {
                    g.writeString(o);
                }
                g.writeEndArray();
            }
            case INSTANT -> {
                g.writeStringField("type", "string");
                g.writeStringField("format", "date-time");
            }
            case URI -> {
                g.writeStringField("type", "string");
                g.writeStringField("format", "uri");
            }
            case FILE -> {
                g.writeStringField("type", "string");
                g.writeStringField("format", "uri-reference");
                g.writeBooleanField("x-upload", true);
                if (!p.contentTypes().isEmpty()) {
                    g.writeArrayFieldStart("x-contentTypes");
                    for (String t : p.contentTypes()) {
                        g.writeString(t);
                    }
                    g.writeEndArray();
                }
                if (p.maxSize() != null) {
                    g.writeNumberField("x-maxSize", p.maxSize());
                }
            }
            case STRING -> {
                g.writeStringField("type", "string");
                if (p.pattern() != null) {
                    // JSON Schema patterns are not anchored; the parameter's must match the whole value
                    g.writeStringField("pattern", "^(?:" + p.pattern() + ")$");
                }
            }
        }
        if (p.min() != null) {
            number(g, "minimum", p.min(), p.type());
        }
        if (p.max() != null) {
            number(g, "maximum", p.max(), p.type());
        }
        if (p.defaultValue() != null) {
            Object v = p.parse(p.defaultValue());
            g.writeFieldName("default");
            if (v instanceof Long l) {
                g.writeNumber(l);
            } else if (v instanceof Double d) {
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    g.writeNumber((long) d.doubleValue());
                } else {
                    g.writeNumber(d);
                }
            } else if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else {
                g.writeString(p.defaultValue().trim());
            }
        }
    }

    private static void number(JsonGenerator g, String field, double v, ParameterType type) throws IOException {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            g.writeNumberField(field, (long) v);
        } else {
            g.writeNumberField(field, v);
        }
    }
}
