package org.uwskit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.BlobKind;
import org.uwskit.InvalidRequestException;
import org.uwskit.JobRequest;
import org.uwskit.Parameter;
import org.uwskit.PayloadTooLargeException;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.ResultStore;

/**
 * The upload layer of the client role: checks upload names, turns uploads into uploaded parameters, and copies
 * upload streams, bounded by the job list's size limit (one copy loop, {@link #copyLimited}), straight into the
 * result store (creation) or into a spool file first (a parameter update, which must read every upload whole
 * before it replaces any). A read failure is the client's (400), a write failure the storage's (503). Not API.
 * Thread-safe (stateless but for the result store).
 */
final class Uploads {
    private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);

    private final ResultStore resultStore;

    Uploads(ResultStore resultStore) {
        this.resultStore = resultStore;
    }

    /**
     * The most bytes upload part {@code part} may hold: the job list's limit, or less when a FILE parameter of the
     * job type that refers to it ({@code param:part}) declares a smaller {@code maxSize}.
     */
    static long limitFor(org.uwskit.JobDefinition definition, List<Parameter> parameters, String part,
                         long listLimit) {
        long limit = listLimit;
        if (definition == null) {
            return limit;
        }
        String ref = "param:" + part;
        for (Parameter p : parameters) {
            if (!ref.equals(p.value())) {
                continue;
            }
            org.uwskit.ParameterDefinition d = definition.parameters().get(p.name().toUpperCase(java.util.Locale.ROOT));
            if (d != null && d.type() == org.uwskit.ParameterType.FILE && d.maxSize() != null) {
                limit = Math.min(limit, d.maxSize());
            }
        }
        return limit;
    }

    /**
     * The job's parameters: the request's, where a value {@code param:x} naming an upload becomes an uploaded
     * parameter, plus one uploaded parameter for each upload no parameter refers to.
     */
    static List<Parameter> withUploads(JobRequest request, Map<String, Parameter.Upload> stored) {
        return withUploads(request.parameters(), request.uploads(), stored);
    }

    static List<Parameter> withUploads(List<Parameter> parameters, List<JobRequest.Upload> uploads,
                                               Map<String, Parameter.Upload> stored) {
        if (uploads.isEmpty()) {
            return new ArrayList<>(parameters); // what the loops below give without uploads, without their sets
        }
        Set<String> uploadNames = new HashSet<>();
        uploads.forEach(u -> uploadNames.add(u.name()));
        Set<String> referenced = new HashSet<>();
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : parameters) {
            String v = p.value();
            if (v.startsWith("param:") && uploadNames.contains(v.substring(6))) {
                referenced.add(v.substring(6));
                out.add(new Parameter(p.name(), v, true, stored.get(v.substring(6))));
            } else {
                out.add(p);
            }
        }
        for (JobRequest.Upload u : uploads) {
            if (!referenced.contains(u.name())) {
                out.add(new Parameter(u.name(), "param:" + u.name(), true, stored.get(u.name())));
            }
        }
        return out;
    }

    static void checkUploadNames(List<JobRequest.Upload> uploads) {
        Set<String> uploadNames = new HashSet<>();
        for (JobRequest.Upload u : uploads) {
            try {
                ResultStore.checkName(u.name());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("upload name '" + u.name()
                        + "' is not allowed: use 1 to 128 characters of A-Z a-z 0-9 . _ - not starting with a dot");
            }
            if (!uploadNames.add(u.name())) {
                throw new InvalidRequestException("the upload '" + u.name() + "' was sent twice");
            }
        }
    }

    /** Reads an upload whole into a temporary file, enforcing the size limit; the file is deleted on failure. */
    static Path spool(JobRequest.Upload u, long maxSize) {
        Path file;
        try {
            file = Files.createTempFile("uwskit-upload-", ".part");
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot spool the upload '" + u.name() + "': " + e.getMessage(), e);
        }
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            copyLimited(u, out, maxSize);
            ok = true;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot spool the upload '" + u.name() + "': " + e.getMessage(), e);
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("could not delete the spooled upload {}", file, e);
                }
            }
        }
        return file;
    }

    /** Copies an upload's stream to {@code out}; a read failure is the client's (400), a write failure is thrown. */
    static long copyLimited(JobRequest.Upload u, OutputStream out, long maxSize) throws IOException {
        long total = 0;
        byte[] buf = new byte[8192];
        InputStream in = u.content();
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                throw new InvalidRequestException("the upload '" + u.name() + "' could not be read: "
                        + e.getMessage());
            }
            if (n < 0) {
                return total;
            }
            total += n;
            if (total > maxSize) {
                throw new PayloadTooLargeException("the upload '" + u.name() + "' is larger than the limit of "
                        + maxSize + " bytes");
            }
            out.write(buf, 0, n);
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the spooled upload: " + e.getMessage(), e);
        }
    }

    void copyToStore(String jobId, String name, Path file) {
        try (OutputStream out = resultStore.create(jobId, BlobKind.UPLOAD, name)) {
            Files.copy(file, out);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot store the upload '" + name + "': " + e.getMessage(), e);
        }
    }

    /** Stores an upload's stream as the job's upload blob, enforcing the size limit; closes the stream. */
    Parameter.Upload storeUpload(String jobId, JobRequest.Upload u, long maxSize) {
        long total;
        try (InputStream in = u.content();
             OutputStream out = resultStore.create(jobId, BlobKind.UPLOAD, u.name())) {
            total = copyLimited(u, out, maxSize);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot store the upload '" + u.name() + "': " + e.getMessage(), e);
        }
        return new Parameter.Upload(u.fileName(), u.mimeType(), total);
    }
}
