package org.uwskit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A job type: its name, description, version, declared parameters, declared outputs and whether undeclared parameters
 * are kept (lenient, the default, because TAP clients send LANG, QUERY, RUNID and others) or refused (strict). Inline
 * uploads are accepted only as declared FILE parameters (see {@link #validate(List)}). Immutable; build with
 * {@link #builder(String)}.
 *
 * <p>The definition does not say how the job runs: an {@link org.uwskit.spi.ExecutionBackend} that
 * {@linkplain org.uwskit.spi.ExecutionBackend#accepts(String) accepts} the job type does.
 */
public final class JobDefinition {
    /** Parameters the UWS protocol itself uses; never validated as job parameters. */
    public static final List<String> CONTROL_PARAMETERS =
            List.of("PHASE", "RUNID", "EXECUTIONDURATION", "DESTRUCTION", "ACTION", "WAIT");

    private final String name;
    private final String description;
    private final String version;
    private final Map<String, ParameterDefinition> parameters;
    private final List<OutputDefinition> outputs;
    private final boolean strict;
    private final boolean rerunnable;

    private JobDefinition(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.version = b.version;
        this.parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.outputs = List.copyOf(b.outputs.values());
        this.strict = b.strict;
        this.rerunnable = b.rerunnable;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The version of the job type (free text, e.g. {@code 1.2.0}), or null. */
    public String version() {
        return version;
    }

    /** The declared outputs, in declaration order, each id once. */
    public List<OutputDefinition> outputs() {
        return outputs;
    }

    /** The declared parameters by upper-cased name, in declaration order. */
    public Map<String, ParameterDefinition> parameters() {
        return parameters;
    }

    /** Whether undeclared parameters are refused. */
    public boolean strict() {
        return strict;
    }

    /**
     * Whether a job of this type whose engine node died while it executed may be run again from the start (true),
     * or must end in ERROR "interrupted: node lost" (false, the default).
     */
    public boolean rerunnable() {
        return rerunnable;
    }

    /**
     * Checks parameters and returns their typed values with defaults applied. Every problem is collected first, so
     * the client sees all of them in one message.
     *
     * @param given the job's parameters (control parameters such as PHASE or RUNID are ignored)
     * @throws InvalidRequestException listing every problem: missing required parameters, bad values, too many
     *                                 values, undeclared parameters of a strict definition, inline uploads
     *                                 (values {@code param:part} by reference) other than of a declared FILE
     *                                 parameter, unless the type declares an {@code UPLOAD} parameter (TAP) or no
     *                                 parameter at all
     */
    public TypedParameters validate(List<Parameter> given) {
        List<String> problems = new ArrayList<>();
        Map<String, List<Object>> out = new LinkedHashMap<>();
        Map<String, List<Parameter>> byName = new LinkedHashMap<>();
        for (Parameter p : given) {
            String key = p.name().toUpperCase(Locale.ROOT);
            if (CONTROL_PARAMETERS.contains(key)) {
                continue;
            }
            byName.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        checkUploads(given, problems);
        for (ParameterDefinition d : parameters.values()) {
            String key = d.name().toUpperCase(Locale.ROOT);
            List<Parameter> vals = byName.remove(key);
            List<Object> typed = new ArrayList<>();
            if (vals == null || vals.isEmpty()) {
                if (d.defaultValue() != null) {
                    typed.add(d.parse(d.defaultValue()));
                } else if (d.required()) {
                    problems.add("the required parameter " + d.name() + " is missing");
                }
            } else {
                if (vals.size() > d.maxOccurs()) {
                    problems.add(d.name() + " takes at most " + d.maxOccurs() + " value(s), got " + vals.size());
                }
                for (Parameter p : vals) {
                    try {
                        typed.add(d.type() == ParameterType.FILE ? p.value() : d.parse(p.value()));
                    } catch (IllegalArgumentException e) {
                        problems.add(e.getMessage());
                    }
                }
            }
            if (!typed.isEmpty()) {
                out.put(key, typed);
            }
        }
        if (strict && !byName.isEmpty()) {
            problems.add("unknown parameter(s) " + String.join(", ", byName.keySet()) + "; job type " + name
                    + " accepts " + (parameters.isEmpty() ? "none" : String.join(", ", parameters.keySet())));
        } else {
            byName.forEach((k, v) -> out.put(k, new ArrayList<>(v.stream().map(Parameter::value).toList())));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new TypedParameters(out);
    }

    /**
     * Inline uploads (parameters whose value is {@code param:part}, by reference) are accepted only where the job
     * type takes files: by a declared {@link ParameterType#FILE} parameter, by any name when the type declares a
     * TAP-style {@code UPLOAD} parameter, or by any name when it declares no parameters at all (an open type). A
     * type that declares parameters but no file refuses every upload, naming the part.
     */
    private void checkUploads(List<Parameter> given, List<String> problems) {
        if (parameters.isEmpty() || parameters.containsKey("UPLOAD")) {
            return;
        }
        List<String> files = new ArrayList<>();
        parameters.values().forEach(d -> {
            if (d.type() == ParameterType.FILE) {
                files.add(d.name());
            }
        });
        for (Parameter p : given) {
            if (!p.byReference() || !p.value().startsWith("param:")) {
                continue;
            }
            ParameterDefinition d = parameters.get(p.name().toUpperCase(Locale.ROOT));
            if (d == null || d.type() != ParameterType.FILE) {
                String part = p.value().substring("param:".length());
                problems.add("the upload part '" + part + "'" + (part.equalsIgnoreCase(p.name()) ? ""
                        : " (as parameter " + p.name() + ")") + " is not accepted: job type " + name
                        + (files.isEmpty() ? " takes no file uploads" : " takes files only as " + String.join(", ", files)));
            }
        }
    }

    @Override
    public String toString() {
        return "JobDefinition[" + name + "]";
    }

    /** Fluent builder; defaults: lenient, not rerunnable, no parameters. */
    public static final class Builder {
        private final String name;
        private String description;
        private String version;
        private final Map<String, ParameterDefinition> parameters = new LinkedHashMap<>();
        private final Map<String, OutputDefinition> outputs = new LinkedHashMap<>();
        private boolean strict;
        private boolean rerunnable;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder description(String v) { description = v; return this; }
        /** The version of the job type; default none. */
        public Builder version(String v) { version = v; return this; }

        /** Declares an output. @throws IllegalArgumentException if an output of that id is already declared */
        public Builder output(OutputDefinition o) {
            if (outputs.putIfAbsent(o.id(), o) != null) {
                throw new IllegalArgumentException("output " + o.id() + " declared twice in " + name);
            }
            return this;
        }

        public Builder parameter(ParameterDefinition p) {
            String key = p.name().toUpperCase(Locale.ROOT);
            if (parameters.putIfAbsent(key, p) != null) {
                throw new IllegalArgumentException("parameter " + p.name() + " declared twice in " + name);
            }
            return this;
        }

        public Builder parameter(ParameterDefinition.Builder p) {
            return parameter(p.build());
        }

        /** Refuse undeclared parameters. */
        public Builder strict() { strict = true; return this; }
        public Builder strict(boolean v) { strict = v; return this; }
        public Builder rerunnable(boolean v) { rerunnable = v; return this; }

        public JobDefinition build() {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a job definition needs a name");
            }
            return new JobDefinition(this);
        }
    }
}
