package org.uwskit.prov;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.uwskit.BlobKind;
import org.uwskit.Job;
import org.uwskit.Result;
import org.uwskit.prov.internal.ProvJsonReader;
import org.uwskit.spi.ResultStore;

/**
 * Provenance records that job logic adds to its job's document.
 *
 * <p><b>In Java</b>, build a {@link ProvDocument} with {@link ProvDocument#builder()} and pass it to
 * {@link ProvenanceBuilder#document(Job, org.uwskit.JobDefinition, org.uwskit.spi.JobLinks, ProvDocument)}; use
 * {@link ProvenanceBuilder#namespaces} for the ids of the job's own activity and results.
 *
 * <p><b>From any job</b> (a process, a cluster job): write a result named {@value #RESULT_NAME} holding a PROV-JSON
 * document (no bundles). The prefixes {@code job}, {@code res}, {@code par}, {@code rel}, {@code desc}, {@code user},
 * the service prefix ({@code svc}), {@code voprov}, {@code uws}, {@code foaf}, {@code prov} and {@code xsd} are
 * bound to the job's namespaces and may be used without declaring them (a {@code prefix} block may add others, not
 * rebind these). Records with the id of a record of the job's own document are merged into it: attributes are
 * added to the job's activity {@code job:<jobId>} or to a result {@code res:<resultId>}. Example:
 * <pre>{@code
 * {"prefix": {"ext": "https://archive.example.org/"},
 *  "entity": {"ext:calib-2024": {"prov:label": "calibration frame"}},
 *  "used": {"_:u1": {"prov:activity": "job:j7f3a2", "prov:entity": "ext:calib-2024", "prov:role": "CALIB"}},
 *  "activity": {"job:j7f3a2": {"voprov:comment": "3 frames rejected"}}}
 * }</pre>
 * Plain JSON numbers become {@code xsd:long} or {@code xsd:double}, booleans {@code xsd:boolean}.
 */
public final class ProvRecords {
    /** The result a job writes its own records into. */
    public static final String RESULT_NAME = "provenance-records.json";
    /** Largest records file read, in bytes. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;

    private ProvRecords() {
    }

    /**
     * Reads a records file.
     *
     * @param bound prefixes bound before the file's own (see the class comment)
     * @throws IllegalArgumentException naming the problem if the content is not a PROV-JSON document this module
     *                                  can represent, or is larger than {@code maxBytes}
     * @throws IOException              if reading fails
     */
    public static ProvDocument read(InputStream in, Map<String, String> bound, long maxBytes) throws IOException {
        return ProvJsonReader.read(in, bound, maxBytes);
    }

    /** Where the records of a job come from. Thread-safe. */
    @FunctionalInterface
    public interface Source {
        /** Opens the job's records file, or returns null when it has none. The caller closes the stream. */
        InputStream open(Job job) throws IOException;

        /** No records. */
        static Source none() {
            return job -> null;
        }

        /** The job's stored result {@value ProvRecords#RESULT_NAME}, when it has one. */
        static Source fromResultStore(ResultStore store) {
            return job -> {
                Result r = job.result(RESULT_NAME).orElse(null);
                if (r == null || !r.isStored()) {
                    return null;
                }
                return store.read(job.jobId(), BlobKind.RESULT, RESULT_NAME, 0, -1);
            };
        }
    }
}
