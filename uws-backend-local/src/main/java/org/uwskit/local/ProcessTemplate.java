package org.uwskit.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link LocalBackend} turns a job into an operating-system process: an executable and a list of arguments,
 * environment variables and declared output files. Immutable and thread-safe; build with {@link #builder(String)}.
 *
 * <p>Arguments are handed to the operating system as a list ({@link ProcessBuilder}), never to a shell: a parameter
 * value such as {@code ; rm -rf / $(id)} arrives as one argument, byte for byte. Each job runs in its own working
 * directory under the backend's work root; its inline uploads are copied there first under their upload names.
 * Standard output and standard error become the results {@code stdout} and {@code stderr} (text/plain); each declared
 * output file that exists when the process ends becomes a result of the same name.
 */
public final class ProcessTemplate {

    /** What a safe file or result name looks like (the result store's rule). */
    static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String executable;
    private final List<Argument> arguments;
    private final List<EnvironmentVariable> environment;
    private final List<Output> outputs;
    private final boolean inheritEnvironment;

    private ProcessTemplate(Builder b) {
        this.executable = b.executable;
        this.arguments = List.copyOf(b.arguments);
        this.environment = List.copyOf(b.environment.values());
        this.outputs = List.copyOf(b.outputs.values());
        this.inheritEnvironment = b.inheritEnvironment;
    }

    /**
     * Starts a template.
     *
     * @param executable an absolute path (checked when the template is built) or a command name looked up on the
     *                   PATH of the host
     * @return a new builder
     */
    public static Builder builder(String executable) {
        return new Builder(executable);
    }

    /** @return the executable, as given to {@link #builder(String)} */
    public String executable() {
        return executable;
    }

    /** The arguments after the executable, in order. */
    public List<Argument> arguments() {
        return arguments;
    }

    /** Variables added to the process environment. */
    public List<EnvironmentVariable> environment() {
        return environment;
    }

    /** Declared output files, in order. */
    public List<Output> outputs() {
        return outputs;
    }

    /** Whether the process starts with the host's environment (then {@link #environment()} is added). */
    public boolean inheritEnvironment() {
        return inheritEnvironment;
    }

    @Override
    public String toString() {
        return "ProcessTemplate[" + executable + " " + arguments + "]";
    }

    /** Where an argument or environment value comes from. */
    public enum Source {
        /** The text given in the template. */
        LITERAL,
        /** The value of a job parameter, verbatim. */
        PARAMETER,
        /** The absolute path of the copy, in the work directory, of the upload a job parameter refers to. */
        UPLOAD
    }

    /**
     * One argument.
     *
     * @param source where it comes from
     * @param value  the literal text, or the parameter name
     */
    public record Argument(Source source, String value) {
        /** @throws NullPointerException if a component is null */
        public Argument {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * One environment variable.
     *
     * @param name   the variable name
     * @param source {@link Source#LITERAL}, {@link Source#PARAMETER} or {@link Source#UPLOAD}
     * @param value  the literal text, or the parameter name
     */
    public record EnvironmentVariable(String name, Source source, String value) {
        /** @throws NullPointerException if a component is null */
        public EnvironmentVariable {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * A declared output file.
     *
     * @param fileName the file name in the work directory, also the result id
     * @param mimeType the result's MIME type, or null
     */
    public record Output(String fileName, String mimeType) {
        /** @throws NullPointerException if {@code fileName} is null */
        public Output {
            Objects.requireNonNull(fileName, "fileName");
        }
    }

    /** Fluent builder; defaults: no arguments, the host's environment inherited, no output files. */
    public static final class Builder {
        private final String executable;
        private final List<Argument> arguments = new ArrayList<>();
        private final Map<String, EnvironmentVariable> environment = new LinkedHashMap<>();
        private final Map<String, Output> outputs = new LinkedHashMap<>();
        private boolean inheritEnvironment = true;

        private Builder(String executable) {
            this.executable = Objects.requireNonNull(executable, "executable");
        }

        /** Adds a fixed argument. */
        public Builder arg(String literal) {
            arguments.add(new Argument(Source.LITERAL, Objects.requireNonNull(literal, "literal")));
            return this;
        }

        /** Adds several fixed arguments. */
        public Builder args(String... literals) {
            for (String a : literals) {
                arg(a);
            }
            return this;
        }

        /**
         * Adds the value of a job parameter as exactly one argument, verbatim (the value the client sent, or the
         * parameter definition's default). A parameter with several values gives one argument per value. A job
         * without any value for it fails with a message naming the parameter.
         */
        public Builder argFromParameter(String parameterName) {
            arguments.add(new Argument(Source.PARAMETER, requireName(parameterName)));
            return this;
        }

        /**
         * Adds the path of an uploaded file as one argument, {@code ./<upload name>} relative to the job's work
         * directory (the process's working directory), so that nothing the process prints reveals server paths
         * and a name that looks like an option is never read as one: the job parameter {@code parameterName} must
         * refer to an inline upload ({@code param:name}); the upload is copied into the job's work directory under
         * its upload name. A job whose parameter is missing or refers to something else fails with a clear message.
         */
        public Builder argFromUpload(String parameterName) {
            arguments.add(new Argument(Source.UPLOAD, requireName(parameterName)));
            return this;
        }

        /** Sets an environment variable to a fixed value. */
        public Builder env(String name, String value) {
            return putEnv(new EnvironmentVariable(name, Source.LITERAL, Objects.requireNonNull(value, "value")));
        }

        /**
         * Sets an environment variable to the (first) value of a job parameter; when the job has no value for it,
         * the variable is not set.
         */
        public Builder envFromParameter(String name, String parameterName) {
            return putEnv(new EnvironmentVariable(name, Source.PARAMETER, requireName(parameterName)));
        }

        /**
         * An environment variable holding the path of the job's copy of the uploaded FILE parameter
         * {@code parameterName} (unset when the job has no such upload).
         */
        public Builder envFromUpload(String name, String parameterName) {
            return putEnv(new EnvironmentVariable(name, Source.UPLOAD, requireName(parameterName)));
        }

        /** Whether the process starts with the host's environment; default true. */
        public Builder inheritEnvironment(boolean v) {
            inheritEnvironment = v;
            return this;
        }

        /**
         * Declares an output file: if {@code fileName} exists in the work directory when the process ends (also
         * after an abort), it becomes a result with that id.
         *
         * @param fileName a safe name: 1 to 128 characters of {@code [A-Za-z0-9._-]}, not starting with a dot, and
         *                 neither {@code stdout} nor {@code stderr}
         */
        public Builder output(String fileName, String mimeType) {
            Objects.requireNonNull(fileName, "fileName");
            if (!SAFE_NAME.matcher(fileName).matches()) {
                throw new IllegalArgumentException("output file name '" + fileName
                        + "' must be 1 to 128 characters of [A-Za-z0-9._-] not starting with a dot");
            }
            if (fileName.equals("stdout") || fileName.equals("stderr")) {
                throw new IllegalArgumentException("output file name '" + fileName
                        + "' is reserved for the captured stream of that name");
            }
            if (outputs.putIfAbsent(fileName, new Output(fileName, mimeType)) != null) {
                throw new IllegalArgumentException("output file " + fileName + " declared twice");
            }
            return this;
        }

        /**
         * Builds the template. A command name (not an absolute path) is looked up only when a job starts.
         *
         * @return the immutable template
         * @throws IllegalArgumentException if the executable is blank, or is an absolute path that is not an
         *                                  executable regular file
         */
        public ProcessTemplate build() {
            if (executable.isBlank()) {
                throw new IllegalArgumentException("a process template needs an executable");
            }
            java.nio.file.Path p = java.nio.file.Path.of(executable);
            if (p.isAbsolute() && !(java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p))) {
                throw new IllegalArgumentException("executable " + executable + " is not an executable file");
            }
            return new ProcessTemplate(this);
        }

        private Builder putEnv(EnvironmentVariable v) {
            if (!ENV_NAME.matcher(v.name()).matches()) {
                throw new IllegalArgumentException("'" + v.name() + "' is not a valid environment variable name");
            }
            if (environment.putIfAbsent(v.name(), v) != null) {
                throw new IllegalArgumentException("environment variable " + v.name() + " set twice");
            }
            return this;
        }

        private static String requireName(String parameterName) {
            if (parameterName == null || parameterName.isBlank()) {
                throw new IllegalArgumentException("a parameter name is required");
            }
            return parameterName;
        }
    }
}
