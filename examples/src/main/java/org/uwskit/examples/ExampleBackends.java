package org.uwskit.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.uwskit.definition.LoadedDefinition;
import org.uwskit.local.LocalBackend;
import org.uwskit.local.ProcessTemplate;
import org.uwskit.spi.ExecutionBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the example server's jobs run ({@code --backend}): the local backend, or the SLURM backend of
 * {@link SlurmJobs} (with the job types from files still local). Stateless.
 */
final class ExampleBackends {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleBackends.class);

    private ExampleBackends() {
    }

    /**
     * The execution backends: one local backend runs both job types, or with {@code --backend slurm} one SLURM
     * backend ({@link SlurmJobs}) whose batch jobs post their callbacks to {@code callbackUrl} (null for none).
     */
    static List<ExecutionBackend> create(ExampleOptions options, Path dataDir, List<LoadedDefinition> defined,
                                         URI callbackUrl) throws IOException {
        if (options.backend().equals(ExampleOptions.BACKEND_SLURM)) {
            List<ExecutionBackend> out = new ArrayList<>();
            out.add(SlurmJobs.backend(options, dataDir, System.getenv(), callbackUrl));
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

    /**
     * The URL the SLURM batch jobs post their callbacks to: {@code --slurm-callback-url}, else the public URL's
     * {@value ExampleServer#UWS_PATH}; null (no callbacks, with a warning) for a wildcard host without
     * {@code --public-url}, and for the local backend.
     */
    static URI slurmCallbackUrl(ExampleOptions options, int port) {
        if (!options.backend().equals(ExampleOptions.BACKEND_SLURM)) {
            return null;
        }
        if (options.slurmCallbackUrl() != null) {
            return options.slurmCallbackUrl();
        }
        URI pub = ExampleJetty.publicUrl(options, port);
        if (pub == null) {
            LOG.warn("no --slurm-callback-url and no public URL: SLURM jobs post no callbacks (the poll alone sees"
                    + " their phase changes)");
            return null;
        }
        return URI.create(pub.toString().replaceAll("/+$", "") + ExampleServer.UWS_PATH);
    }
}
