package org.uwskit.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.definition.DefinitionException;
import org.uwskit.definition.DefinitionLoader;
import org.uwskit.definition.LoadedDefinition;
import org.uwskit.local.DefinedProcesses;
import org.uwskit.local.LocalBackend;

/**
 * The job types of {@code --definitions DIR}: each definition file becomes a job list of the job type's name,
 * holding that one job type, run by the local backend as an OS process. Stateless.
 */
final class DefinedJobs {
    /** Names the example server uses itself. */
    static final Set<String> RESERVED = Set.of(DemoJobs.DEMO, DemoJobs.WORDCOUNT, DemoJobs.TAP_ASYNC);

    private DefinedJobs() {
    }

    /**
     * Reads every definition of the directory.
     *
     * @throws ExampleOptions.BadOptionException naming the file, the place in it and the problem, or a name the
     *                                           server already uses
     */
    static List<LoadedDefinition> load(Path dir) throws IOException {
        if (dir == null) {
            return List.of();
        }
        if (!Files.isDirectory(dir)) {
            throw new ExampleOptions.BadOptionException("--definitions: " + dir + " is not a directory");
        }
        List<LoadedDefinition> defs;
        try {
            defs = DefinitionLoader.defaults().loadDirectory(dir);
        } catch (DefinitionException e) {
            throw new ExampleOptions.BadOptionException("--definitions: " + e.getMessage());
        }
        for (LoadedDefinition d : defs) {
            if (RESERVED.contains(d.definition().name())) {
                throw new ExampleOptions.BadOptionException("--definitions: " + d.source() + ": the name "
                        + d.definition().name() + " is one of the server's own job lists " + RESERVED);
            }
        }
        return defs;
    }

    /**
     * The job list of one definition: the example policy, with the largest upload set from the FILE parameters'
     * {@code maxSize} and the execution duration capped by the file's {@code maxDurationSeconds}.
     */
    static JobList jobList(LoadedDefinition d, boolean allowAnonymous, org.uwskit.Quotas quotas) {
        JobListPolicy.Builder p = DemoJobs.policy(allowAnonymous).toBuilder().quotas(quotas);
        long maxUpload = d.definition().parameters().values().stream()
                .filter(x -> x.type() == ParameterType.FILE && x.maxSize() != null)
                .mapToLong(ParameterDefinition::maxSize).max().orElse(0);
        if (maxUpload > 0) {
            p.maxUploadSize(maxUpload);
        }
        Long seconds = d.command().resources().maxDurationSeconds();
        if (seconds != null) {
            p.maxExecutionDuration(Duration.ofSeconds(seconds)).defaultExecutionDuration(Duration.ofSeconds(seconds));
        }
        return JobList.builder(d.definition().name())
                .description(d.definition().description())
                .definition(d.definition())
                .policy(p.build())
                .build();
    }

    /** Registers every definition's process with the backend being built. */
    static void register(List<LoadedDefinition> defs, LocalBackend.Builder backend) {
        for (LoadedDefinition d : defs) {
            backend.process(d.definition().name(), DefinedProcesses.template(d));
        }
    }
}
