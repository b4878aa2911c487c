package org.uwskit.definition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.uwskit.JobDefinition;
import org.uwskit.OutputDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

/**
 * Reads one definition file's JSON tree into a {@link LoadedDefinition}, checking as it goes: every problem is a
 * {@link DefinitionException} at the node it was found in. One instance per file; not thread-safe.
 */
final class DefinitionReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> TOP = Set.of("$schema", "name", "description", "version", "strict",
            "rerunnable", "parameters", "outputs", "run");
    private static final Set<String> PARAMETER = Set.of("type", "description", "required", "default", "min", "max",
            "options", "maxOccurs", "unit", "ucd", "pattern", "contentTypes", "maxSize");
    private static final Set<String> OUTPUT = Set.of("id", "contentType", "description");
    private static final Set<String> RUN = Set.of("command", "arguments", "environment", "inheritEnvironment",
            "resources");
    private static final Set<String> RESOURCES = Set.of("cpus", "memoryMegabytes", "maxDurationSeconds",
            "partition");

    private final Path file;
    private final Function<String, Optional<Path>> commandLookup;

    DefinitionReader(Path file, Function<String, Optional<Path>> commandLookup) {
        this.file = file;
        this.commandLookup = commandLookup;
    }

    LoadedDefinition read(JsonNode root) {
        Map<String, JsonNode> top = object(root, TOP, "a job definition");
        if (top.containsKey("$schema")) {
            string(top.get("$schema"));
        }
        String name = string(required(root, top, "name"));
        if (!NAME.matcher(name).matches()) {
            throw fail(top.get("name"), "the name '" + name + "' must be 1 to 64 characters of [A-Za-z0-9._-] "
                    + "starting with a letter or digit (it becomes a job list name and a URL segment)");
        }
        JobDefinition.Builder b = JobDefinition.builder(name);
        b.description(optString(top.get("description")));
        b.version(optString(top.get("version")));
        if (top.containsKey("strict")) {
            b.strict(bool(top.get("strict")));
        }
        if (top.containsKey("rerunnable")) {
            b.rerunnable(bool(top.get("rerunnable")));
        }
        Map<String, ParameterDefinition> params = new LinkedHashMap<>();
        if (top.containsKey("parameters")) {
            JsonNode ps = top.get("parameters");
            for (Map.Entry<String, JsonNode> e : object(ps, null, "the parameters").entrySet()) {
                ParameterDefinition p = parameter(e.getKey(), e.getValue());
                if (params.putIfAbsent(e.getKey().toUpperCase(Locale.ROOT), p) != null) {
                    throw fail(e.getValue(), "the parameter " + e.getKey() + " is declared twice (names are "
                            + "case-insensitive)");
                }
                b.parameter(p);
            }
        }
        if (top.containsKey("outputs")) {
            Set<String> ids = new java.util.HashSet<>();
            for (JsonNode o : array(top.get("outputs"))) {
                OutputDefinition od = output(o);
                if (!ids.add(od.id())) {
                    throw fail(o, "the output " + od.id() + " is declared twice");
                }
                b.output(od);
            }
        }
        CommandSpec run = run(required(root, top, "run"), params);
        return new LoadedDefinition(file, b.build(), run);
    }

    private ParameterDefinition parameter(String name, JsonNode node) {
        if (!PARAMETER_NAME.matcher(name).matches()) {
            throw fail(node, "the parameter name '" + name + "' must start with a letter or '_' and hold only "
                    + "[A-Za-z0-9_.-] (at most 64)");
        }
        if (JobDefinition.CONTROL_PARAMETERS.contains(name.toUpperCase(Locale.ROOT))) {
            throw fail(node, name + " is a UWS control parameter and cannot be declared");
        }
        Map<String, JsonNode> f = object(node, PARAMETER, "a parameter");
        JsonNode typeNode = required(node, f, "type");
        ParameterType type = DefinitionLoader.TYPES.get(string(typeNode));
        if (type == null) {
            throw fail(typeNode, "unknown type '" + typeNode.text + "'; one of " + DefinitionLoader.TYPES.keySet());
        }
        ParameterDefinition.Builder b = ParameterDefinition.builder(name, type);
        b.description(optString(f.get("description")));
        if (f.containsKey("required")) {
            b.required(bool(f.get("required")));
        }
        if (f.containsKey("min")) {
            b.min(number(f.get("min")));
        }
        if (f.containsKey("max")) {
            b.max(number(f.get("max")));
        }
        if (f.containsKey("options")) {
            List<String> opts = new ArrayList<>();
            for (JsonNode o : array(f.get("options"))) {
                String v = string(o);
                if (opts.contains(v)) {
                    throw fail(o, "the option '" + v + "' is listed twice");
                }
                opts.add(v);
            }
            b.options(opts);
        }
        if (f.containsKey("maxOccurs")) {
            long n = integer(f.get("maxOccurs"));
            if (n < 1) {
                throw fail(f.get("maxOccurs"), "maxOccurs must be at least 1");
            }
            b.maxOccurs((int) Math.min(n, ParameterDefinition.UNBOUNDED));
        }
        b.unit(optString(f.get("unit")));
        b.ucd(optString(f.get("ucd")));
        b.pattern(optString(f.get("pattern")));
        if (f.containsKey("contentTypes")) {
            List<String> types = new ArrayList<>();
            for (JsonNode t : array(f.get("contentTypes"))) {
                String v = string(t);
                if (!v.matches("[A-Za-z0-9!#$&^_.+-]+/([A-Za-z0-9!#$&^_.+-]+|\\*)")) {
                    throw fail(t, "'" + v + "' is not a media type such as text/plain or image/*");
                }
                types.add(v);
            }
            b.contentTypes(types);
        }
        if (f.containsKey("maxSize")) {
            b.maxSize(integer(f.get("maxSize")));
        }
        ParameterDefinition withoutDefault;
        try {
            withoutDefault = b.build();
        } catch (IllegalArgumentException e) {
            throw fail(node, e.getMessage());
        }
        if (f.containsKey("default")) {
            JsonNode d = f.get("default");
            if (d.kind == JsonNode.Kind.OBJECT || d.kind == JsonNode.Kind.ARRAY || d.kind == JsonNode.Kind.NULL) {
                throw fail(d, "a default is a string, number or boolean");
            }
            if (type == ParameterType.FILE) {
                throw fail(d, "a FILE parameter has no default");
            }
            try {
                withoutDefault.parse(d.text);
            } catch (IllegalArgumentException e) {
                throw fail(d, "the default does not fit its own parameter: " + e.getMessage());
            }
            b.defaultValue(d.text);
        }
        return b.build();
    }

    private OutputDefinition output(JsonNode node) {
        Map<String, JsonNode> f = object(node, OUTPUT, "an output");
        try {
            return new OutputDefinition(string(required(node, f, "id")), optString(f.get("contentType")),
                    optString(f.get("description")));
        } catch (IllegalArgumentException e) {
            throw fail(f.get("id"), e.getMessage());
        }
    }

    private CommandSpec run(JsonNode node, Map<String, ParameterDefinition> params) {
        Map<String, JsonNode> f = object(node, RUN, "the run section");
        JsonNode cmdNode = required(node, f, "command");
        String command = string(cmdNode);
        Path executable = executable(cmdNode, command);
        List<CommandSpec.Value> args = new ArrayList<>();
        if (f.containsKey("arguments")) {
            for (JsonNode a : array(f.get("arguments"))) {
                args.add(value(a, params, true));
            }
        }
        Map<String, CommandSpec.Value> env = new LinkedHashMap<>();
        if (f.containsKey("environment")) {
            for (Map.Entry<String, JsonNode> e : object(f.get("environment"), null, "the environment").entrySet()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw fail(e.getValue(), "'" + e.getKey() + "' is not a valid environment variable name");
                }
                env.put(e.getKey(), value(e.getValue(), params, false));
            }
        }
        boolean inherit = !f.containsKey("inheritEnvironment") || bool(f.get("inheritEnvironment"));
        CommandSpec.Resources res = CommandSpec.Resources.NONE;
        if (f.containsKey("resources")) {
            Map<String, JsonNode> r = object(f.get("resources"), RESOURCES, "the resources");
            res = new CommandSpec.Resources(
                    r.containsKey("cpus") ? (int) positive(r.get("cpus"), Integer.MAX_VALUE) : null,
                    r.containsKey("memoryMegabytes") ? positive(r.get("memoryMegabytes"), Long.MAX_VALUE) : null,
                    r.containsKey("maxDurationSeconds") ? positive(r.get("maxDurationSeconds"), Long.MAX_VALUE) : null,
                    optString(r.get("partition")));
        }
        return new CommandSpec(command, executable, args, env, inherit, res);
    }

    private CommandSpec.Value value(JsonNode node, Map<String, ParameterDefinition> params, boolean argument) {
        if (node.kind == JsonNode.Kind.STRING) {
            return new CommandSpec.Value(CommandSpec.Source.LITERAL, node.text);
        }
        Set<String> keys = argument ? Set.of("parameter", "upload", "path") : Set.of("parameter", "upload");
        Map<String, JsonNode> f = object(node, keys, argument
                ? "an argument (a string, or {\"parameter\": NAME}, {\"upload\": NAME} or {\"path\": FILE})"
                : "an environment value (a string, {\"parameter\": NAME} or {\"upload\": NAME})");
        if (f.size() != 1) {
            throw fail(node, "give exactly one of " + keys);
        }
        Map.Entry<String, JsonNode> e = f.entrySet().iterator().next();
        String v = string(e.getValue());
        switch (e.getKey()) {
            case "path": {
                Path p = file.toAbsolutePath().getParent().resolve(v).normalize();
                if (!Files.isRegularFile(p)) {
                    throw fail(e.getValue(), "no file " + v + " beside the definition (looked for " + p + ")");
                }
                return new CommandSpec.Value(CommandSpec.Source.PATH, p.toString());
            }
            case "upload": {
                ParameterDefinition d = params.get(v.toUpperCase(Locale.ROOT));
                if (d == null || d.type() != ParameterType.FILE) {
                    throw fail(e.getValue(), "an upload argument needs a declared FILE parameter; " + v + " is "
                            + (d == null ? "not declared" : "of type " + d.type()));
                }
                if (argument && !d.required()) {
                    throw fail(e.getValue(), "the FILE parameter " + v + " is optional, so a job might have no "
                            + "file for this argument; make it required");
                }
                return new CommandSpec.Value(CommandSpec.Source.UPLOAD, d.name());
            }
            default: {
                ParameterDefinition d = params.get(v.toUpperCase(Locale.ROOT));
                if (d == null) {
                    throw fail(e.getValue(), "the parameter " + v + " is not declared; declared: " + params.keySet());
                }
                if (argument && !d.required() && d.defaultValue() == null) {
                    throw fail(e.getValue(), "the parameter " + v + " is optional without a default, so a job "
                            + "might have no value for this argument; give it a default or make it required");
                }
                return new CommandSpec.Value(CommandSpec.Source.PARAMETER, d.name());
            }
        }
    }

    private Path executable(JsonNode node, String command) {
        if (command.isBlank()) {
            throw fail(node, "the command is empty");
        }
        Path p;
        if (command.contains("/")) {
            p = file.toAbsolutePath().getParent().resolve(command).normalize();
        } else {
            p = commandLookup.apply(command).orElseThrow(() -> fail(node, "the command " + command
                    + " is not on the PATH (" + System.getenv("PATH") + ")"));
        }
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw fail(node, "the command " + command + " is not an executable file (" + p + ")");
        }
        return p;
    }

    // ------------------------------------------------------------ kinds of values

    private Map<String, JsonNode> object(JsonNode node, Set<String> allowed, String what) {
        if (node.kind != JsonNode.Kind.OBJECT) {
            throw fail(node, "expected " + what + " (a JSON object), found " + describe(node));
        }
        if (allowed != null) {
            for (Map.Entry<String, JsonNode> e : node.fields.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw fail(e.getValue(), "unknown key \"" + e.getKey() + "\" in " + what + "; allowed: "
                            + new java.util.TreeSet<>(allowed));
                }
            }
        }
        return node.fields;
    }

    private List<JsonNode> array(JsonNode node) {
        if (node.kind != JsonNode.Kind.ARRAY) {
            throw fail(node, "expected a JSON array, found " + describe(node));
        }
        return node.items;
    }

    private JsonNode required(JsonNode parent, Map<String, JsonNode> f, String key) {
        JsonNode n = f.get(key);
        if (n == null) {
            throw fail(parent, "the key \"" + key + "\" is required");
        }
        return n;
    }

    private String string(JsonNode node) {
        if (node.kind != JsonNode.Kind.STRING) {
            throw fail(node, "expected a string, found " + describe(node));
        }
        return node.text;
    }

    private String optString(JsonNode node) {
        return node == null ? null : string(node);
    }

    private boolean bool(JsonNode node) {
        if (node.kind != JsonNode.Kind.BOOLEAN) {
            throw fail(node, "expected true or false, found " + describe(node));
        }
        return Boolean.parseBoolean(node.text);
    }

    private double number(JsonNode node) {
        if (node.kind != JsonNode.Kind.NUMBER) {
            throw fail(node, "expected a number, found " + describe(node));
        }
        double d = Double.parseDouble(node.text);
        if (Double.isInfinite(d)) {
            throw fail(node, "the number " + node.text + " is too large");
        }
        return d;
    }

    private long integer(JsonNode node) {
        if (node.kind != JsonNode.Kind.NUMBER || !node.integral) {
            throw fail(node, "expected an integer, found " + describe(node));
        }
        try {
            return Long.parseLong(node.text);
        } catch (NumberFormatException e) {
            throw fail(node, "the integer " + node.text + " is too large");
        }
    }

    private long positive(JsonNode node, long max) {
        long v = integer(node);
        if (v < 1 || v > max) {
            throw fail(node, "expected an integer from 1 to " + max + ", found " + v);
        }
        return v;
    }

    private static String describe(JsonNode node) {
        return switch (node.kind) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "the string \"" + node.text + "\"";
            case NUMBER -> "the number " + node.text;
            case BOOLEAN -> node.text;
            case NULL -> "null";
        };
    }

    private DefinitionException fail(JsonNode node, String problem) {
        return new DefinitionException(file, node.pointer, node.line, node.column, problem);
    }
}
