package org.uwskit.definition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a job definition written as OPUS writes it — a VOTable whose {@code RESOURCE} has
 * {@code utype="voprov:ActivityDescription"}, as an IVOA DataLink service descriptor with ProvDM utypes — into the
 * tree of the JSON definition format, so that {@link DefinitionReader} checks it exactly as it checks a JSON file
 * and reports problems at the VOTable element (its path, line and column).
 *
 * <p>The mapping:
 * <ul>
 *   <li>{@code RESOURCE/@name} (else {@code @ID}) is the name, its {@code DESCRIPTION} the description;
 *       the {@code PARAM}s {@code version}, {@code executionDuration} (the longest a job may run, seconds) and
 *       {@code script} are used; {@code doculink}, {@code type}, {@code subtype}, {@code contact_name},
 *       {@code contact_email} and {@code quote} are read but describe only (uwskit's quote comes from the job list's
 *       policy); any other {@code PARAM} is refused.</li>
 *   <li>{@code GROUP name="InputParams"}: one parameter per {@code PARAM} — {@code datatype} {@code char} is a
 *       string ({@code xtype} a media type: a file; {@code xtype="timestamp"}: an instant; {@code xtype="uri"}:
 *       a URI; {@code OPTION}s: an enumeration), {@code boolean}, {@code short/int/long} an integer, {@code float/double} a real;
 *       {@code value} is the default; {@code type="no_query"} or a default makes it optional; {@code unit},
 *       {@code ucd}, {@code DESCRIPTION}, {@code VALUES/MIN}, {@code MAX}, {@code OPTION} carry over.</li>
 *   <li>{@code GROUP name="Used"}: one uploaded FILE parameter per inner {@code GROUP}, named after it, with its
 *       {@code content_type}; required unless its {@code multiplicity} is {@code 0..1}. Only uploads
 *       ({@code url} empty or {@code file://$ID}) are supported.</li>
 *   <li>{@code GROUP name="Generated"}: one output per inner {@code GROUP}; its {@code default} (else the group's
 *       name) is the file the script writes and the result id, with its {@code content_type}.</li>
 *   <li>The {@code script} runs as {@code sh -c SCRIPT} in the job's work directory. Values reach it only as
 *       environment variables — each input parameter's value, each upload's path, each output's file name, under
 *       their names ({@code $text}, {@code $input}, {@code $output}) — never inside the script's text, so a
 *       value cannot become shell syntax. Line ends are normalised to LF.</li>
 * </ul>
 * One instance per file; not thread-safe.
 */
final class ActivityDescriptionReader {
    /** The utype that marks the job definition's {@code RESOURCE}. */
    static final String UTYPE = "voprov:ActivityDescription";
    private static final Set<String> DESCRIPTIVE = Set.of("doculink", "type", "subtype", "contact_name",
            "contact_email", "quote");
    private static final Set<String> TOP_PARAMS = union(DESCRIPTIVE, Set.of("version", "executionDuration",
            "script"));
    private static final Set<String> GROUPS = Set.of("InputParams", "Used", "Generated");
    private static final Set<String> ENTITY_PARAMS = Set.of("role", "multiplicity", "default", "content_type",
            "url");

    private final Path file;
    private final Map<String, JsonNode> environment = new LinkedHashMap<>();

    ActivityDescriptionReader(Path file) {
        this.file = file;
    }

    /** The JSON definition tree of the VOTable {@code root}. */
    JsonNode toDefinition(VoTableElement root) {
        if (!root.name.equals("VOTABLE")) {
            throw fail(root.place(), "expected a VOTABLE document, found <" + root.name + ">");
        }
        VoTableElement resource = resource(root);
        Map<String, JsonNode> top = new LinkedHashMap<>();
        String name = resource.attributes.getOrDefault("name", resource.attributes.get("ID"));
        if (name == null) {
            throw fail(resource.place(), "the RESOURCE has neither a name nor an ID attribute");
        }
        top.put("name", string(name, resource.place("name")));
        String description = resource.description();
        if (description != null) {
            top.put("description", string(description, resource.place()));
        }
        Map<String, VoTableElement> params = topParams(resource);
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        List<JsonNode> outputs = new ArrayList<>();
        for (VoTableElement g : resource.children("GROUP")) {
            String groupName = g.attributes.getOrDefault("name", "");
            switch (groupName) {
                case "InputParams" -> g.children("PARAM").forEach(p -> inputParam(p, parameters));
                case "Used" -> g.children("GROUP").forEach(u -> used(u, parameters));
                case "Generated" -> g.children("GROUP").forEach(o -> generated(o, outputs));
                default -> throw fail(g.place(), "unknown GROUP '" + groupName + "'; allowed: "
                        + new TreeSet<>(GROUPS));
            }
        }
        if (params.containsKey("version")) {
            top.put("version", value(params.get("version")));
        }
        top.put("parameters", JsonNode.object(parameters, resource.place()));
        top.put("outputs", JsonNode.array(outputs, resource.place()));
        top.put("run", run(resource, params));
        return JsonNode.object(top, root.place());
    }

    private VoTableElement resource(VoTableElement root) {
        VoTableElement found = null;
        for (VoTableElement r : root.children("RESOURCE")) {
            if (UTYPE.equalsIgnoreCase(r.attributes.getOrDefault("utype", ""))) {
                if (found != null) {
                    throw fail(r.place(), "a second RESOURCE with utype " + UTYPE + " (one job definition per file)");
                }
                found = r;
            }
        }
        if (found == null) {
            throw fail(root.place(), "no RESOURCE with utype=\"" + UTYPE + "\"");
        }
        return found;
    }

    private Map<String, VoTableElement> topParams(VoTableElement resource) {
        Map<String, VoTableElement> out = new LinkedHashMap<>();
        for (VoTableElement p : resource.children("PARAM")) {
            String n = p.attributes.getOrDefault("name", "");
            if (!TOP_PARAMS.contains(n)) {
                throw fail(p.place(), "unknown PARAM '" + n + "' of the ActivityDescription; allowed: "
                        + new TreeSet<>(TOP_PARAMS));
            }
            if (out.put(n, p) != null) {
                throw fail(p.place(), "the PARAM " + n + " is given twice");
            }
            if (n.equals("quote") && !value(p).text.isEmpty()) {
                checkInteger(p);
            }
        }
        return out;
    }

    private void inputParam(VoTableElement p, Map<String, JsonNode> parameters) {
        String name = p.attributes.getOrDefault("name", p.attributes.get("ID"));
        if (name == null) {
            throw fail(p.place(), "an input PARAM needs a name");
        }
        Map<String, JsonNode> f = new LinkedHashMap<>();
        VoTableElement values = first(p, "VALUES");
        List<JsonNode> options = new ArrayList<>();
        if (values != null) {
            for (VoTableElement o : values.children("OPTION")) {
                options.add(string(o.attributes.getOrDefault("value", ""), o.place("value")));
            }
        }
        String type = type(p, !options.isEmpty());
        f.put("type", string(type, p.place("datatype")));
        String description = p.description();
        if (description != null) {
            f.put("description", string(description, p.place()));
        }
        String dflt = p.attributes.getOrDefault("value", "");
        boolean optional = "no_query".equals(p.attributes.get("type")) || !dflt.isEmpty();
        if (!dflt.isEmpty()) {
            f.put("default", string(dflt, p.place("value")));
        }
        f.put("required", JsonNode.scalar(JsonNode.Kind.BOOLEAN, Boolean.toString(!optional), p.place("type")));
        if (values != null) {
            bound(values, "MIN", "min", f);
            bound(values, "MAX", "max", f);
        }
        if (!options.isEmpty()) {
            f.put("options", JsonNode.array(options, values.place()));
        }
        copyAttribute(p, "unit", f);
        copyAttribute(p, "ucd", f);
        if (type.equals("file")) {
            f.put("contentTypes", JsonNode.array(List.of(string(p.attributes.get("xtype"), p.place("xtype"))),
                    p.place("xtype")));
        }
        put(parameters, name, JsonNode.object(f, p.place()), p);
        env(name, ref(type.equals("file") ? "upload" : "parameter", name, p.place()), p);
    }

    private void used(VoTableElement u, Map<String, JsonNode> parameters) {
        String name = u.attributes.getOrDefault("name", "");
        Map<String, VoTableElement> ps = entityParams(u);
        String url = text(ps.get("url"));
        if (!url.isEmpty() && !url.equals("file://$ID")) {
            throw fail(ps.get("url").place("value"), "only uploaded inputs are supported (url empty or file://$ID), "
                    + "not '" + url + "'");
        }
        String multiplicity = text(ps.get("multiplicity"));
        if (!Set.of("", "1", "0..1").contains(multiplicity)) {
            throw fail(ps.get("multiplicity").place("value"), "multiplicity '" + multiplicity
                    + "' is not supported: one file per input (1, or 0..1 when optional)");
        }
        Map<String, JsonNode> f = new LinkedHashMap<>();
        f.put("type", string("file", u.place()));
        String description = u.description();
        if (description != null) {
            f.put("description", string(description, u.place()));
        }
        f.put("required", JsonNode.scalar(JsonNode.Kind.BOOLEAN, Boolean.toString(!multiplicity.equals("0..1")),
                u.place()));
        String contentType = text(ps.get("content_type"));
        if (!contentType.isEmpty()) {
            f.put("contentTypes", JsonNode.array(List.of(string(contentType, ps.get("content_type").place("value"))),
                    u.place()));
        }
        put(parameters, name, JsonNode.object(f, u.place()), u);
        env(name, ref("upload", name, u.place()), u);
    }

    private void generated(VoTableElement o, List<JsonNode> outputs) {
        String name = o.attributes.getOrDefault("name", "");
        Map<String, VoTableElement> ps = entityParams(o);
        String id = text(ps.get("default"));
        JsonNode.Place idPlace = id.isEmpty() ? o.place("name") : ps.get("default").place("value");
        if (id.isEmpty()) {
            id = name;
        }
        Map<String, JsonNode> f = new LinkedHashMap<>();
        f.put("id", string(id, idPlace));
        String contentType = text(ps.get("content_type"));
        if (!contentType.isEmpty()) {
            f.put("contentType", string(contentType, ps.get("content_type").place("value")));
        }
        String description = o.description();
        if (description != null) {
            f.put("description", string(description, o.place()));
        }
        outputs.add(JsonNode.object(f, o.place()));
        env(name, string(id, idPlace), o);
    }

    private JsonNode run(VoTableElement resource, Map<String, VoTableElement> params) {
        VoTableElement script = params.get("script");
        if (script == null || value(script).text.isBlank()) {
            throw fail(resource.place(), "the ActivityDescription has no script (PARAM name=\"script\")");
        }
        String text = script.attributes.get("value").replace("\r\n", "\n").replace('\r', '\n');
        Map<String, JsonNode> run = new LinkedHashMap<>();
        run.put("command", string("sh", script.place()));
        run.put("arguments", JsonNode.array(List.of(string("-c", script.place()), string(text, script.place("value"))),
                script.place()));
        run.put("environment", JsonNode.object(environment, resource.place()));
        VoTableElement duration = params.get("executionDuration");
        if (duration != null && !value(duration).text.isEmpty()) {
            checkInteger(duration);
            run.put("resources", JsonNode.object(Map.of("maxDurationSeconds",
                    JsonNode.scalar(JsonNode.Kind.NUMBER, value(duration).text, duration.place("value"))),
                    duration.place()));
        }
        return JsonNode.object(run, script.place());
    }

    // ------------------------------------------------------------ helpers

    private String type(VoTableElement p, boolean hasOptions) {
        String datatype = p.attributes.getOrDefault("datatype", "char");
        String xtype = p.attributes.getOrDefault("xtype", "");
        switch (datatype) {
            case "char", "unicodeChar":
                if (xtype.contains("/")) {
                    return "file";
                }
                if (xtype.equalsIgnoreCase("timestamp")) {
                    return "instant";
                }
                if (xtype.equalsIgnoreCase("uri")) {
                    return "uri";
                }
                return hasOptions ? "enumerated" : "string";
            case "boolean":
                return "boolean";
            case "short", "int", "long", "unsignedByte":
                return "integer";
            case "float", "double":
                return "real";
            default:
                throw fail(p.place("datatype"), "datatype '" + datatype + "' is not supported for a parameter; one "
                        + "of char, unicodeChar, boolean, unsignedByte, short, int, long, float, double");
        }
    }

    private void bound(VoTableElement values, String element, String key, Map<String, JsonNode> f) {
        VoTableElement b = first(values, element);
        if (b != null) {
            String v = b.attributes.getOrDefault("value", "").strip();
            JsonNode.Kind kind = v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")
                    ? JsonNode.Kind.NUMBER : JsonNode.Kind.STRING;
            f.put(key, JsonNode.scalar(kind, v.startsWith("+") ? v.substring(1) : v, b.place("value")));
        }
    }

    private Map<String, VoTableElement> entityParams(VoTableElement group) {
        Map<String, VoTableElement> out = new LinkedHashMap<>();
        for (VoTableElement p : group.children("PARAM")) {
            String n = p.attributes.getOrDefault("name", "");
            if (!ENTITY_PARAMS.contains(n)) {
                throw fail(p.place(), "unknown PARAM '" + n + "' of an entity description; allowed: "
                        + new TreeSet<>(ENTITY_PARAMS));
            }
            out.put(n, p);
        }
        return out;
    }

    private void put(Map<String, JsonNode> parameters, String name, JsonNode p, VoTableElement at) {
        for (String existing : parameters.keySet()) {
            if (existing.equalsIgnoreCase(name)) {
                throw fail(at.place(), "the input " + name + " is declared twice (as a parameter or a used entity)");
            }
        }
        parameters.put(name, p);
    }

    private void env(String name, JsonNode value, VoTableElement at) {
        if (environment.putIfAbsent(name, value) != null) {
            throw fail(at.place(), "the name " + name + " is used twice among the script's variables (inputs, "
                    + "used and generated entities)");
        }
    }

    private static JsonNode ref(String kind, String name, JsonNode.Place place) {
        return JsonNode.object(Map.of(kind, string(name, place)), place);
    }

    private void checkInteger(VoTableElement p) {
        if (!value(p).text.matches("\\d{1,18}")) {
            throw fail(p.place("value"), p.attributes.get("name") + " must be a whole number of seconds, not '"
                    + value(p).text + "'");
        }
    }

    private static JsonNode value(VoTableElement p) {
        return string(p.attributes.getOrDefault("value", "").strip(), p.place("value"));
    }

    private static String text(VoTableElement p) {
        return p == null ? "" : p.attributes.getOrDefault("value", "").strip();
    }

    private static void copyAttribute(VoTableElement p, String attribute, Map<String, JsonNode> f) {
        String v = p.attributes.get(attribute);
        if (v != null && !v.isBlank()) {
            f.put(attribute, string(v, p.place(attribute)));
        }
    }

    private static VoTableElement first(VoTableElement parent, String childName) {
        List<VoTableElement> c = parent.children(childName);
        return c.isEmpty() ? null : c.get(0);
    }

    private static JsonNode string(String text, JsonNode.Place place) {
        return JsonNode.scalar(JsonNode.Kind.STRING, text, place);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    private DefinitionException fail(JsonNode.Place at, String problem) {
        return new DefinitionException(file, at.pointer(), at.line(), at.column(), problem);
    }
}
