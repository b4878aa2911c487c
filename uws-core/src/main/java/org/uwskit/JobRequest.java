package org.uwskit;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request to create a job: its parameters, inline uploads and the UWS control values a creation POST may carry
 * (PHASE=RUN, RUNID, EXECUTIONDURATION, DESTRUCTION, UWS 1.1 §2.2.3.1 and CHECKLIST item 63). Build with
 * {@link #builder()}. The upload streams are read once, during {@link JobService#create}.
 *
 * @param parameters        job parameters in order (control parameters already taken out)
 * @param uploads           inline uploads (multipart parts referenced as {@code param:name})
 * @param runId             the client's run id, or null
 * @param run               whether to queue the job at once (PHASE=RUN)
 * @param executionDuration requested seconds, or null for the job list's default
 * @param destruction       requested destruction instant, or null for the job list's default
 */
public record JobRequest(List<Parameter> parameters, List<Upload> uploads, String runId, boolean run,
                         Long executionDuration, Instant destruction) {

    public JobRequest {
        parameters = List.copyOf(parameters);
        uploads = List.copyOf(uploads);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * An inline upload.
     *
     * @param name     the part name (a job parameter {@code name} with value {@code param:name} refers to it)
     * @param fileName the client's file name, or null
     * @param mimeType the declared content type, or null
     * @param content  the bytes; read once and closed by the service
     */
    public record Upload(String name, String fileName, String mimeType, InputStream content) {
        public Upload {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
        }
    }

    /** Fluent builder; defaults: no parameters, not run. */
    public static final class Builder {
        private final List<Parameter> parameters = new ArrayList<>();
        private final List<Upload> uploads = new ArrayList<>();
        private String runId;
        private boolean run;
        private Long executionDuration;
        private Instant destruction;

        private Builder() {
        }

        public Builder parameter(String name, String value) { parameters.add(Parameter.of(name, value)); return this; }
        public Builder parameter(Parameter p) { parameters.add(p); return this; }
        public Builder parameters(List<Parameter> ps) { parameters.addAll(ps); return this; }
        public Builder upload(Upload u) { uploads.add(u); return this; }
        public Builder upload(String name, String fileName, String mimeType, InputStream content) {
            return upload(new Upload(name, fileName, mimeType, content));
        }
        public Builder runId(String v) { runId = v; return this; }
        public Builder run() { run = true; return this; }
        public Builder run(boolean v) { run = v; return this; }
        public Builder executionDuration(Long seconds) { executionDuration = seconds; return this; }
        public Builder destruction(Instant v) { destruction = v; return this; }

        public JobRequest build() {
            return new JobRequest(parameters, uploads, runId, run, executionDuration, destruction);
        }
    }
}
