package org.uwskit.slurm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link SlurmBackend} runs one job type on SLURM: a command with its arguments, the environment, files made
 * from parameters, declared output files and the resources asked of the cluster. Immutable; build with
 * {@link #builder(String)}.
 *
 * <p><b>Nothing a client sends becomes shell text.</b> The backend writes a fixed batch script that reads the
 * command line and the environment from NUL-separated files of the job's working directory and {@code exec}s the
 * command: a parameter value such as {@code ; rm -rf / $(id) `x` "'} arrives as one argument (or variable, or file
 * content), byte for byte. Standard output and standard error become the results {@code stdout} and {@code stderr};
 * each declared output file that exists when the job ends becomes a result of that name.
 */
public final class SlurmJobType {
    static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Where a value comes from. */
    public enum Source {
        /** The text given in the job type. */
        LITERAL,
        /** The value of a job parameter (the client's, or the definition's default), verbatim. */
        PARAMETER,
        /** The bytes of the inline upload a job parameter refers to. */
        UPLOAD
    }

    /** One argument. @param source where it comes from @param value the text, or the parameter name */
    public record Argument(Source source, String value) {
    }

    /** One variable. @param name its name @param source where it comes from @param value the text or parameter */
    public record Variable(String name, Source source, String value) {
    }

    /** A file written into the working directory before the job runs. */
    public record InputFile(String fileName, Source source, String parameter) {
    }

    /** A declared output file. @param fileName its name, also the result id @param mimeType its type, or null */
    public record Output(String fileName, String mimeType) {
    }

    private final String command;
    private final List<Argument> arguments;
    private final List<Variable> environment;
    private final List<InputFile> files;
    private final List<Output> outputs;
    private final int cpus;
    private final String cpusParameter;
    private final long memoryMb;
    private final String partition;
    private final String account;
    private final String qos;
    private final boolean requeue;

    private SlurmJobType(Builder b) {
        command = b.command;
        arguments = List.copyOf(b.arguments);
        environment = List.copyOf(b.environment.values());
        files = List.copyOf(b.files.values());
        outputs = List.copyOf(b.outputs.values());
        cpus = b.cpus;
        cpusParameter = b.cpusParameter;
        memoryMb = b.memoryMb;
        partition = b.partition;
        account = b.account;
        qos = b.qos;
        requeue = b.requeue;
    }

    /**
     * Starts a job type.
     *
     * @param command the program: an absolute path on the nodes, or a name looked up on the job's {@code PATH}
     * @return a builder with the defaults: no arguments, 1 CPU, the partition's default memory, the cluster's
     *         default partition, no account or QOS, not requeued
     */
    public static Builder builder(String command) {
        return new Builder(command);
    }

    /** @return the program */
    public String command() {
        return command;
    }

    /** @return the arguments after the program */
    public List<Argument> arguments() {
        return arguments;
    }

    /** @return the variables the job gets beyond {@code PATH} and {@code UWS_JOB_ID} */
    public List<Variable> environment() {
        return environment;
    }

    /** @return the files written into the working directory */
    public List<InputFile> files() {
        return files;
    }

    /** @return the declared output files */
    public List<Output> outputs() {
        return outputs;
    }

    /** @return the CPUs asked when {@link #cpusParameter()} is null or absent from the job */
    public int cpus() {
        return cpus;
    }

    /** @return the parameter whose integer value is the CPUs asked, or null */
    public String cpusParameter() {
        return cpusParameter;
    }

    /** @return memory per node in MiB, 0 for the partition's default */
    public long memoryMb() {
        return memoryMb;
    }

    /** @return the partition, or null for the backend's default */
    public String partition() {
        return partition;
    }

    /** @return the account, or null */
    public String account() {
        return account;
    }

    /** @return the QOS, or null */
    public String qos() {
        return qos;
    }

    /** @return whether SLURM may requeue the job (false: {@code --no-requeue}) */
    public boolean requeue() {
        return requeue;
    }

    /** Fluent builder. */
    public static final class Builder {
        private final String command;
        private final List<Argument> arguments = new ArrayList<>();
        private final Map<String, Variable> environment = new LinkedHashMap<>();
        private final Map<String, InputFile> files = new LinkedHashMap<>();
        private final Map<String, Output> outputs = new LinkedHashMap<>();
        private int cpus = 1;
        private String cpusParameter;
        private long memoryMb;
        private String partition;
        private String account;
        private String qos;
        private boolean requeue;

        private Builder(String command) {
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("a SLURM job type needs a command");
            }
            this.command = command;
        }

        /** Adds fixed arguments. */
        public Builder args(String... literals) {
            for (String a : literals) {
                arguments.add(new Argument(Source.LITERAL, Objects.requireNonNull(a, "argument")));
            }
            return this;
        }

        /** Adds the value of a job parameter as one argument (one per value for a multi-valued parameter). */
        public Builder argFromParameter(String parameter) {
            arguments.add(new Argument(Source.PARAMETER, requireName(parameter)));
            return this;
        }

        /** Sets a variable to a fixed value. */
        public Builder env(String name, String value) {
            return putEnv(new Variable(name, Source.LITERAL, Objects.requireNonNull(value, "value")));
        }

        /** Sets a variable to the (first) value of a job parameter; unset when the job has none. */
        public Builder envFromParameter(String name, String parameter) {
            return putEnv(new Variable(name, Source.PARAMETER, requireName(parameter)));
        }

        /** Writes the (first) value of a job parameter into a file of the working directory. */
        public Builder fileFromParameter(String fileName, String parameter) {
            return putFile(new InputFile(fileName, Source.PARAMETER, requireName(parameter)));
        }

        /** Copies the inline upload a job parameter refers to into a file of the working directory. */
        public Builder fileFromUpload(String fileName, String parameter) {
            return putFile(new InputFile(fileName, Source.UPLOAD, requireName(parameter)));
        }

        /** Declares an output file, collected as a result of the same name when the job ends. */
        public Builder output(String fileName, String mimeType) {
            checkFileName(fileName);
            if (outputs.putIfAbsent(fileName, new Output(fileName, mimeType)) != null) {
                throw new IllegalArgumentException("output file " + fileName + " declared twice");
            }
            return this;
        }

        /** CPUs asked (default 1). */
        public Builder cpus(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("cpus must be at least 1");
            }
            cpus = n;
            return this;
        }

        /** Takes the CPUs asked from an integer job parameter (within the backend's limits); else {@link #cpus}. */
        public Builder cpusFromParameter(String parameter) {
            cpusParameter = requireName(parameter);
            return this;
        }

        /** Memory per node in MiB (default 0: the partition's default). */
        public Builder memoryMb(long mb) {
            if (mb < 0) {
                throw new IllegalArgumentException("memory must not be negative");
            }
            memoryMb = mb;
            return this;
        }

        /** The partition (default: the backend's). */
        public Builder partition(String p) {
            partition = p;
            return this;
        }

        /** The account charged (default none). */
        public Builder account(String a) {
            account = a;
            return this;
        }

        /** The quality of service (default none). */
        public Builder qos(String q) {
            qos = q;
            return this;
        }

        /** Whether SLURM may requeue the job after a node failure or preemption (default false). */
        public Builder requeue(boolean v) {
            requeue = v;
            return this;
        }

        /** @return the job type */
        public SlurmJobType build() {
            return new SlurmJobType(this);
        }

        private Builder putEnv(Variable v) {
            if (!ENV_NAME.matcher(v.name()).matches()) {
                throw new IllegalArgumentException("'" + v.name() + "' is not a valid environment variable name");
            }
            if (environment.putIfAbsent(v.name(), v) != null) {
                throw new IllegalArgumentException("environment variable " + v.name() + " set twice");
            }
            return this;
        }

        private Builder putFile(InputFile f) {
            checkFileName(f.fileName());
            if (files.putIfAbsent(f.fileName(), f) != null) {
                throw new IllegalArgumentException("input file " + f.fileName() + " declared twice");
            }
            return this;
        }

        private static void checkFileName(String fileName) {
            if (fileName == null || !SAFE_NAME.matcher(fileName).matches()) {
                throw new IllegalArgumentException("file name '" + fileName
                        + "' must be 1 to 128 characters of [A-Za-z0-9._-] not starting with a dot");
            }
            if (fileName.equals("stdout") || fileName.equals("stderr")) {
                throw new IllegalArgumentException("file name '" + fileName + "' is reserved for the stream");
            }
        }

        private static String requireName(String parameter) {
            if (parameter == null || parameter.isBlank()) {
                throw new IllegalArgumentException("a parameter name is required");
            }
            return parameter;
        }
    }
}
