package org.uwskit.definition;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value read with jackson-core's streaming parser, remembering its JSON pointer and where it starts in the
 * file, so that every problem found later can be reported at its place. Duplicate keys are refused while reading.
 */
final class JsonNode {
    /** The kind of value. */
    enum Kind { OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL }

    final Kind kind;
    final String pointer;
    final int line;
    final int column;
    /** The text of a scalar as written (a number's digits, a string's characters), null for containers. */
    final String text;
    final boolean integral;
    final Map<String, JsonNode> fields;
    final List<JsonNode> items;

    private JsonNode(Kind kind, String pointer, JsonLocation at, String text, boolean integral,
                     Map<String, JsonNode> fields, List<JsonNode> items) {
        this(kind, pointer, at.getLineNr(), at.getColumnNr(), text, integral, fields, items);
    }

    private JsonNode(Kind kind, String pointer, int line, int column, String text, boolean integral,
                     Map<String, JsonNode> fields, List<JsonNode> items) {
        this.kind = kind;
        this.pointer = pointer;
        this.line = line;
        this.column = column;
        this.text = text;
        this.integral = integral;
        this.fields = fields;
        this.items = items;
    }

    /** A string (or, with {@code number}, a number) made from another format, at {@code place}. */
    static JsonNode scalar(Kind kind, String text, Place place) {
        boolean integral = kind == Kind.NUMBER && !text.contains(".") && !text.contains("e") && !text.contains("E");
        return new JsonNode(kind, place.pointer(), place.line(), place.column(), text, integral, null, null);
    }

    /** An object made from another format, at {@code place}; the map is kept as given (in its order). */
    static JsonNode object(Map<String, JsonNode> fields, Place place) {
        return new JsonNode(Kind.OBJECT, place.pointer(), place.line(), place.column(), null, false,
                Collections.unmodifiableMap(new LinkedHashMap<>(fields)), null);
    }

    /** An array made from another format, at {@code place}. */
    static JsonNode array(List<JsonNode> items, Place place) {
        return new JsonNode(Kind.ARRAY, place.pointer(), place.line(), place.column(), null, false, null,
                List.copyOf(items));
    }

    /**
     * Where a value made from another format (a VOTable element or attribute) was written.
     *
     * @param pointer the path of the element or attribute, in the form of the file it came from
     * @param line    its line (1-based), 0 if not known
     * @param column  its column (1-based), 0 if not known
     */
    record Place(String pointer, int line, int column) {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final JsonFactory YAML = com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder().build();

    /** Reads one JSON document; anything after it is an error. */
    static JsonNode read(Path file, InputStream in) throws IOException {
        return read(file, in, FACTORY, "JSON");
    }

    /** Reads one YAML document (its tree as JSON would hold it); anything after it is an error. */
    static JsonNode readYaml(Path file, InputStream in) throws IOException {
        return read(file, in, YAML, "YAML");
    }

    private static JsonNode read(Path file, InputStream in, JsonFactory factory, String format) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new DefinitionException(file, "", 0, 0, "the file is empty");
            }
            JsonNode root = value(file, p, "");
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new DefinitionException(file, "", at.getLineNr(), at.getColumnNr(),
                        "unexpected content after the " + format + " document");
            }
            return root;
        } catch (JsonProcessingException e) {
            // malformed JSON, or beyond jackson's limits (nesting depth, number length)
            JsonLocation at = e.getLocation();
            throw new DefinitionException(file, "", at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not valid " + format + ": " + e.getOriginalMessage());
        }
    }

    private static JsonNode value(Path file, JsonParser p, String pointer) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, JsonNode> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    p.nextToken();
                    String child = pointer + "/" + escape(key);
                    if (fields.containsKey(key)) {
                        throw new DefinitionException(file, child, keyAt.getLineNr(), keyAt.getColumnNr(),
                                "the key \"" + key + "\" appears twice");
                    }
                    fields.put(key, value(file, p, child));
                }
                return new JsonNode(Kind.OBJECT, pointer, at, null, false, Collections.unmodifiableMap(fields), null);
            }
            case START_ARRAY: {
                List<JsonNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(file, p, pointer + "/" + items.size()));
                }
                return new JsonNode(Kind.ARRAY, pointer, at, null, false, null, List.copyOf(items));
            }
            case VALUE_STRING:
                return new JsonNode(Kind.STRING, pointer, at, p.getText(), false, null, null);
            case VALUE_NUMBER_INT:
                return new JsonNode(Kind.NUMBER, pointer, at, p.getText(), true, null, null);
            case VALUE_NUMBER_FLOAT:
                return new JsonNode(Kind.NUMBER, pointer, at, p.getText(), false, null, null);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new JsonNode(Kind.BOOLEAN, pointer, at, p.getText(), false, null, null);
            case VALUE_NULL:
                return new JsonNode(Kind.NULL, pointer, at, null, false, null, null);
            default:
                throw new DefinitionException(file, pointer, at.getLineNr(), at.getColumnNr(), "unexpected " + t);
        }
    }

    /** Escapes a key for a JSON pointer (RFC 6901: {@code ~} as {@code ~0}, {@code /} as {@code ~1}). */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
