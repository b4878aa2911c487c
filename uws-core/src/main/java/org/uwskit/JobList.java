package org.uwskit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named collection of jobs (the UWS {@code /{jobs}} resource): its job definitions and its {@link JobListPolicy}.
 * Immutable; build with {@link #builder(String)}.
 *
 * <p>With one job definition, every job is of that type. With several, the client chooses with the parameter named
 * by {@link #selector()} (ESAP selects its worker with {@code type}); a missing or unknown value is a 400.
 */
public final class JobList {
    /** The default name of the job-type selector parameter. */
    public static final String DEFAULT_SELECTOR = "type";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final String name;
    private final String description;
    private final Map<String, JobDefinition> definitions;
    private final String selector;
    private final JobListPolicy policy;

    private JobList(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.definitions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.definitions));
        this.selector = b.selector;
        this.policy = b.policy;
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

    /** The job definitions by name, in the order added. */
    public Map<String, JobDefinition> definitions() {
        return definitions;
    }

    public String selector() {
        return selector;
    }

    public JobListPolicy policy() {
        return policy;
    }

    /** The definition for a job type name. */
    public Optional<JobDefinition> definition(String jobType) {
        return Optional.ofNullable(definitions.get(jobType));
    }

    /**
     * The definition a creation request selects: the only one, or the one named by the selector parameter's value.
     *
     * @param selectorValue the value of the selector parameter, or null if absent
     * @throws InvalidRequestException if several definitions exist and the value is missing or unknown
     */
    public JobDefinition select(String selectorValue) {
        if (definitions.size() == 1) {
            return definitions.values().iterator().next();
        }
        if (selectorValue == null || selectorValue.isBlank()) {
            throw new InvalidRequestException("job list " + name + " offers several job types: set the parameter "
                    + selector + " to one of " + definitions.keySet());
        }
        for (JobDefinition d : definitions.values()) {
            if (d.name().equalsIgnoreCase(selectorValue.trim())) {
                return d;
            }
        }
        throw new InvalidRequestException("'" + selectorValue + "' is not a job type of " + name + "; expected one of "
                + definitions.keySet());
    }

    /** Whether a parameter name is this list's selector (ignoring case) and several types exist. */
    public boolean isSelector(String parameterName) {
        return definitions.size() > 1 && selector.toUpperCase(Locale.ROOT).equals(parameterName.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "JobList[" + name + " " + definitions.keySet() + "]";
    }

    /** Fluent builder; defaults: {@link JobListPolicy#defaults()}, selector {@value #DEFAULT_SELECTOR}. */
    public static final class Builder {
        private final String name;
        private String description;
        private final Map<String, JobDefinition> definitions = new LinkedHashMap<>();
        private String selector = DEFAULT_SELECTOR;
        private JobListPolicy policy = JobListPolicy.defaults();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder description(String v) { description = v; return this; }

        public Builder definition(JobDefinition d) {
            if (definitions.putIfAbsent(d.name(), d) != null) {
                throw new IllegalArgumentException("job type " + d.name() + " added twice to " + name);
            }
            return this;
        }

        public Builder selector(String v) { selector = Objects.requireNonNull(v); return this; }
        public Builder policy(JobListPolicy v) { policy = Objects.requireNonNull(v); return this; }

        /** @throws IllegalArgumentException for a name that is not a legal path segment or a list with no job type */
        public JobList build() {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("job list name '" + name + "' must match " + NAME);
            }
            if (definitions.isEmpty()) {
                throw new IllegalArgumentException("job list " + name + " needs at least one job definition");
            }
            return new JobList(this);
        }
    }
}
