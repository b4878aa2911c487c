package org.uwskit.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.uwskit.JobDefinition;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.TypedParameters;

/**
 * What a backend needs to run a job (DRMAA2's job template): immutable and thread-safe. Made by the engine at
 * submission and re-attachment; backends read it and must not keep it beyond the job's life.
 *
 * @param jobId             the UWS job id
 * @param jobList           the job list name
 * @param definition        the job type
 * @param ownerId           the owner, or null
 * @param parameters        typed, validated parameters with defaults applied
 * @param rawParameters     the parameters as the client sent them
 * @param executionDuration seconds allowed; 0 = unlimited. The engine's watchdog enforces it; a backend may also pass
 *                          it on (SLURM's time limit)
 * @param deadline          the instant execution must end, or null if unlimited (set once execution starts)
 */
public record JobTemplate(
        String jobId,
        String jobList,
        JobDefinition definition,
        String ownerId,
        TypedParameters parameters,
        List<Parameter> rawParameters,
        long executionDuration,
        Instant deadline) {

    /** Copies {@code rawParameters}. */
    public JobTemplate {
        rawParameters = List.copyOf(rawParameters);
    }

    /** @return the job type, i.e. the definition's name */
    public String jobType() {
        return definition.name();
    }

    /**
     * The values the client sent for a parameter (case-insensitive name, in the order sent), or the definition's
     * default when it sent none; empty when there is neither.
     *
     * @param name the parameter name
     * @return the values as text, never null
     */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (Parameter p : rawParameters) {
            if (p.isNamed(name)) {
                out.add(p.value());
            }
        }
        if (out.isEmpty()) {
            ParameterDefinition d = definition.parameters().get(name.toUpperCase(Locale.ROOT));
            if (d != null && d.defaultValue() != null) {
                out.add(d.defaultValue());
            }
        }
        return out;
    }
}
