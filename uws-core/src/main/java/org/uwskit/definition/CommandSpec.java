package org.uwskit.definition;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a job type defined in a file runs, independent of where: an executable, its arguments and environment taken
 * from literals, job parameters, uploads or files beside the definition — never a shell command line — and the
 * resources a batch system needs. An execution backend turns it into its own form (the local backend into a
 * {@code ProcessTemplate}; a batch backend into a job script that passes values as arguments or variables).
 *
 * @param command     the command as written in the file
 * @param executable  the absolute path it resolved to when the file was loaded
 * @param arguments   the arguments after the executable, in order
 * @param environment variables added to the process environment, in file order
 * @param inheritEnvironment whether the process starts with the host's environment
 * @param resources   what the job needs of a batch system (all optional)
 */
public record CommandSpec(String command, Path executable, List<Value> arguments, Map<String, Value> environment,
                          boolean inheritEnvironment, Resources resources) {

    /** @throws NullPointerException if a component other than the optional ones is null */
    public CommandSpec {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(executable, "executable");
        arguments = List.copyOf(arguments);
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        Objects.requireNonNull(resources, "resources");
    }

    /** Where an argument or environment value comes from. */
    public enum Source {
        /** Fixed text ({@code "-9"} in the file). */
        LITERAL,
        /** The value of a job parameter ({@code {"parameter": "LEVEL"}}); one argument per value. */
        PARAMETER,
        /**
         * The path of the job's copy of an uploaded FILE parameter ({@code {"upload": "FILE"}}); as an environment
         * value, unset when an optional FILE parameter was not given.
         */
        UPLOAD,
        /**
         * A file beside the definition file ({@code {"path": "plot.py"}}); {@link #value()} is then its absolute
         * path, checked to exist when the file was loaded.
         */
        PATH
    }

    /**
     * One argument or environment value.
     *
     * @param source where it comes from
     * @param value  the literal text, the parameter name, or the absolute path
     */
    public record Value(Source source, String value) {
        /** @throws NullPointerException if a component is null */
        public Value {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * What a job needs of a batch system. A local backend runs one process per job and may ignore them, except
     * {@code maxDurationSeconds}, which a host uses as the job list's longest execution duration.
     *
     * @param cpus               CPUs per job, or null
     * @param memoryMegabytes    memory per job in MiB, or null
     * @param maxDurationSeconds the longest a job may run, or null
     * @param partition          the batch partition (queue), or null
     */
    public record Resources(Integer cpus, Long memoryMegabytes, Long maxDurationSeconds, String partition) {
        /** No requirement at all. */
        public static final Resources NONE = new Resources(null, null, null, null);
    }
}
