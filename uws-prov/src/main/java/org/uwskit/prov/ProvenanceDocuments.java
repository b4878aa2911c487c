package org.uwskit.prov;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.InvalidRequestException;
import org.uwskit.InvalidStateException;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobLinks;

/**
 * Serves the provenance of finished jobs at {@code /{jobs}/{job-id}/provenance} through the servlet adapter: PROV-JSON
 * (default), PROV-XML, PROV-N, DOT, SVG (only when Graphviz's {@code dot} is available) and VOTable.
 *
 * <p>Records the job logic wrote ({@link ProvRecords}) are merged in. A records file that cannot be read does not
 * break the document: it is left out, the activity says why in {@code uws:provenanceRecordsProblem}, and a warning
 * is logged. Thread-safe; build with {@link #builder(ProvenanceBuilder)}. Register it with the servlet adapter as a
 * {@link JobDocumentProvider}; it owns no threads and holds nothing to close (SVG runs {@code dot} per request,
 * bounded by {@link ProvWriters}).
 */
public final class ProvenanceDocuments implements JobDocumentProvider {
    /** The path segment. */
    public static final String NAME = "provenance";
    private static final Logger LOG = LoggerFactory.getLogger(ProvenanceDocuments.class);

    private final ProvenanceBuilder provenance;
    private final ProvWriters writers;
    private final ProvRecords.Source records;
    private final long maxRecordsBytes;
    private final boolean listAsResult;
    private final List<ProvFormat> formats;

    private ProvenanceDocuments(Builder b) {
        provenance = b.provenance;
        writers = b.writers;
        records = b.records;
        maxRecordsBytes = b.maxRecordsBytes;
        listAsResult = b.listAsResult;
        List<ProvFormat> f = new ArrayList<>(List.of(ProvFormat.values()));
        if (!writers.canWriteSvg()) {
            f.remove(ProvFormat.SVG);
        }
        formats = List.copyOf(f);
    }

    /**
     * A new builder.
     *
     * @param provenance builds each job's document
     * @return a new builder
     */
    public static Builder builder(ProvenanceBuilder provenance) {
        return new Builder(provenance);
    }

    /** @return the builder of the documents */
    public ProvenanceBuilder provenance() {
        return provenance;
    }

    /** @return the serialisations the documents are written with */
    public ProvWriters writers() {
        return writers;
    }

    /**
     * The formats offered, PROV-JSON first: every {@link ProvFormat} but SVG when Graphviz's {@code dot} is missing.
     *
     * @return the formats, in the order of {@link #mediaTypes()}
     */
    public List<ProvFormat> formats() {
        return formats;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> mediaTypes() {
        return formats.stream().map(ProvFormat::mediaType).toList();
    }

    @Override
    public List<String> formatNames() {
        return formats.stream().map(ProvFormat::formatName).toList();
    }

    @Override
    public boolean appliesTo(Job job, JobList jobList) {
        return job.phase().isFinished();
    }

    @Override
    public boolean listAsResult(Job job, JobList jobList) {
        return listAsResult && appliesTo(job, jobList);
    }

    /**
     * Writes the job's document.
     *
     * @throws InvalidRequestException if {@code mediaType} is not one of {@link #mediaTypes()}
     * @throws InvalidStateException   if the job has not finished
     */
    @Override
    public void write(Job job, JobList jobList, JobLinks links, String mediaType, OutputStream out) throws IOException {
        ProvFormat format;
        try {
            format = ProvFormat.of(mediaType);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        if (!formats.contains(format)) {
            throw new InvalidRequestException(format.mediaType() + " is not available here; offered: " + mediaTypes());
        }
        writers.write(document(job, jobList, links), format, out);
    }

    /**
     * The job's document, with the job logic's records merged in (unreadable records are left out and noted, see
     * the class comment).
     *
     * @param job     a finished job
     * @param jobList its job list
     * @param links   the URLs of the job list's resources
     * @return the document
     * @throws InvalidStateException if the job has not finished
     * @throws IOException           if the records source fails to read
     */
    public ProvDocument document(Job job, JobList jobList, JobLinks links) throws IOException {
        Objects.requireNonNull(jobList, "jobList");
        if (!job.phase().isFinished()) {
            throw new InvalidStateException("provenance exists only for finished jobs; job " + job.jobId() + " is "
                    + job.phase());
        }
        ProvDocument extra = null;
        String problem = null;
        try (InputStream in = records.open(job)) {
            if (in != null) {
                extra = ProvRecords.read(in, provenance.namespaces(job, links), maxRecordsBytes);
            }
        } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
            problem = e.getMessage();
            LOG.warn("provenance records of job {} left out: {}", job.jobId(), problem);
        }
        ProvDocument doc = provenance.document(job, jobList.definition(job.jobType()).orElse(null), links, extra);
        if (problem != null) {
            doc = doc.merge(ProvDocument.builder().add(ProvElement.activity(provenance.activityId(job.jobId(), links),
                    null, null, List.of(ProvAttribute.of(ProvTerms.uws("provenanceRecordsProblem"), problem)))).build());
        }
        return doc;
    }

    /** Configures {@link ProvenanceDocuments}. */
    public static final class Builder {
        private final ProvenanceBuilder provenance;
        private ProvWriters writers;
        private ProvRecords.Source records = ProvRecords.Source.none();
        private long maxRecordsBytes = ProvRecords.DEFAULT_MAX_BYTES;
        private boolean listAsResult;

        private Builder(ProvenanceBuilder provenance) {
            this.provenance = Objects.requireNonNull(provenance, "provenance");
        }

        /** The writers; default {@link ProvWriters#defaults()}. */
        public Builder writers(ProvWriters v) { writers = Objects.requireNonNull(v); return this; }
        /** Where job logic's records come from; default none. */
        public Builder records(ProvRecords.Source v) { records = Objects.requireNonNull(v); return this; }
        /** Largest records file read; default {@link ProvRecords#DEFAULT_MAX_BYTES}. */
        public Builder maxRecordsBytes(long v) { maxRecordsBytes = v; return this; }
        /** Whether the adapter lists {@code provenance} among a finished job's results; default false. */
        public Builder listAsResult(boolean v) { listAsResult = v; return this; }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws IllegalArgumentException if maxRecordsBytes is not positive
         */
        public ProvenanceDocuments build() {
            if (maxRecordsBytes < 1) {
                throw new IllegalArgumentException("maxRecordsBytes must be positive");
            }
            if (writers == null) {
                writers = ProvWriters.defaults();
            }
            return new ProvenanceDocuments(this);
        }
    }
}
