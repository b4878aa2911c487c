package org.uwskit.local;

import java.util.Map;
import org.uwskit.OutputDefinition;
import org.uwskit.definition.CommandSpec;
import org.uwskit.definition.LoadedDefinition;

/**
 * Turns a job type read from a definition file ({@link LoadedDefinition}) into the {@link ProcessTemplate} this
 * backend runs: the executable the file's command resolved to, its arguments and environment from literals, job
 * parameters, uploads and files beside the definition, and one output file per declared output (the declared
 * {@code stdout} and {@code stderr} are the captured streams, which every process job has anyway). The batch
 * resources of the file are not used here: one job is one local process. Stateless.
 */
public final class DefinedProcesses {
    private DefinedProcesses() {
    }

    /**
     * @param loaded a definition read by {@link org.uwskit.definition.DefinitionLoader}
     * @return the process template; register it with {@link LocalBackend.Builder#process} under
     *         {@code loaded.definition().name()}
     * @throws IllegalArgumentException if the template refuses a value (a declared output name it cannot use)
     */
    public static ProcessTemplate template(LoadedDefinition loaded) {
        CommandSpec c = loaded.command();
        ProcessTemplate.Builder b = ProcessTemplate.builder(c.executable().toString())
                .inheritEnvironment(c.inheritEnvironment());
        for (CommandSpec.Value a : c.arguments()) {
            switch (a.source()) {
                case LITERAL, PATH -> b.arg(a.value());
                case PARAMETER -> b.argFromParameter(a.value());
                case UPLOAD -> b.argFromUpload(a.value());
            }
        }
        for (Map.Entry<String, CommandSpec.Value> e : c.environment().entrySet()) {
            if (e.getValue().source() == CommandSpec.Source.PARAMETER) {
                b.envFromParameter(e.getKey(), e.getValue().value());
            } else if (e.getValue().source() == CommandSpec.Source.UPLOAD) {
                b.envFromUpload(e.getKey(), e.getValue().value());
            } else {
                b.env(e.getKey(), e.getValue().value());
            }
        }
        for (OutputDefinition o : loaded.definition().outputs()) {
            if (!o.id().equals("stdout") && !o.id().equals("stderr")) {
                b.output(o.id(), o.contentType());
            }
        }
        return b.build();
    }
}
