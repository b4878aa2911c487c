package org.uwskit.definition;

import java.nio.file.Path;
import java.util.Objects;
import org.uwskit.JobDefinition;

/**
 * A job type read from a definition file: the {@link JobDefinition} (what a job takes and makes, the same model the
 * builder makes) and the {@link CommandSpec} (how it runs).
 *
 * @param source     the file it was read from
 * @param definition the job type
 * @param command    how it runs
 */
public record LoadedDefinition(Path source, JobDefinition definition, CommandSpec command) {
    /** @throws NullPointerException if a component is null */
    public LoadedDefinition {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(command, "command");
    }
}
