package org.uwskit.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uwskit.definition.LoadedDefinition;
import org.uwskit.local.LocalBackend;
import org.uwskit.local.ProcessTemplate;
import org.uwskit.spi.ExecutionBackend;

/**
 * Where the example server's jobs run ({@code --backend}): the local backend, or the SLURM backend of
 * {@link SlurmJobs} (with the job types from files still local). Stateless.
 */
final class ExampleBackends {
    private ExampleBackends() {
    }

    /**
     * The execution backends: one local backend runs both job types, or with {@code --backend slurm} one SLURM
     * backend ({@link SlurmJobs}).
     */
    static List<ExecutionBackend> create(ExampleOptions options, Path dataDir, List<LoadedDefinition> defined)
            throws IOException {
        if (options.backend().equals(ExampleOptions.BACKEND_SLURM)) {
            List<ExecutionBackend> out = new ArrayList<>();
            out.add(SlurmJobs.backend(options, dataDir, System.getenv()));
            if (!defined.isEmpty()) { // job types from files run on this host (not on SLURM yet)
                LocalBackend.Builder processes = LocalBackend.builder().workRoot(dataDir.resolve("work"))
                        .threads(defined.size() * DemoJobs.MAX_EXECUTING_JOBS);
                DefinedJobs.register(defined, processes);
                out.add(processes.build());
            }
            return out;
        }
        LocalBackend.Builder local = LocalBackend.builder()
                .workRoot(dataDir.resolve("work"))
                .logic(DemoJobs.DEMO, DemoJobs::runDemo)
                .process(DemoJobs.WORDCOUNT, ProcessTemplate.builder(DemoJobs.WC).argFromUpload("FILE").build())
                .threads(ExampleServer.DEFAULT_BACKEND_THREADS + defined.size() * DemoJobs.MAX_EXECUTING_JOBS);
        DefinedJobs.register(defined, local);
        return List.of(local.build());
    }
}
