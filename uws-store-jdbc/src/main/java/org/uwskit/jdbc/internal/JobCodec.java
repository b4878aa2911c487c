package org.uwskit.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.JobRef;
import org.uwskit.Lease;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.spi.OwnerUsage;

/**
 * Maps jobs to rows and back. Scalar fields are columns; parameters, results, error, jobInfo and history are JSON
 * text documents of format version {@value #FORMAT_VERSION}. Instants are written as UTC
 * {@code timestamp with time zone} truncated to milliseconds (the store's precision), whatever the session time
 * zone, and read back as instants. Thread-safe (the mapper is configured once and only used).
 */
public final class JobCodec {
    /** The version of the JSON documents this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    /** Every column of the job table, in the order {@link #bindAll} binds them. */
    public static final List<String> COLUMNS = List.of("job_id", "job_list", "job_type", "run_id", "owner_id", "phase",
            "quote_time", "creation_time", "start_time", "end_time", "execution_duration", "destruction", "deadline",
            "lease_node", "lease_expires", "lease_backend", "lease_backend_ref", "params_json", "results_json",
            "error_json", "job_info_json", "history_json", "format_version", "version", "upload_bytes");

    /** The columns a job list reads. */
    public static final String REF_COLUMNS = "job_id, phase, run_id, owner_id, creation_time";

    private final ObjectMapper mapper = new ObjectMapper();

    /** The instant as the store keeps it (milliseconds). */
    public static Instant stored(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Binds an instant (UTC, milliseconds) or SQL NULL. */
    public static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(stored(t), ZoneOffset.UTC));
        }
    }

    /** Reads an instant column (null for SQL NULL). */
    public static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * A job with its JSON documents already written: encoding is the costly part of binding, so callers that hand
     * rows to another thread (the group commit's writer) encode on their own thread first. Immutable.
     */
    public record Encoded(Job job, String params, String results, String error, String jobInfo, String history,
                          long uploadBytes) {
    }

    /** Writes the JSON documents of {@code job}. */
    public Encoded encode(Job job) {
        return new Encoded(job, parametersJson(job.parameters()), resultsJson(job.results()),
                job.error() == null ? null : errorJson(job.error()), jobInfoJson(job.jobInfo()),
                historyJson(job.history()), OwnerUsage.uploadBytesOf(job));
    }

    /**
     * Binds every column of {@link #COLUMNS}, starting at {@code first}.
     *
     * @return the next free parameter index
     */
    public int bindAll(PreparedStatement ps, int first, Job job) throws SQLException {
        return bindAll(ps, first, encode(job));
    }

    /**
     * Binds every column of {@link #COLUMNS} from an encoded job, starting at {@code first}.
     *
     * @return the next free parameter index
     */
    public int bindAll(PreparedStatement ps, int first, Encoded e) throws SQLException {
        int i = first;
        ps.setString(i++, e.job().jobId());
        return bindMutable(ps, i, e);
    }

    /**
     * Binds every column but job_id (the update's SET list), starting at {@code first}.
     *
     * @return the next free parameter index
     */
    public int bindMutable(PreparedStatement ps, int first, Job job) throws SQLException {
        return bindMutable(ps, first, encode(job));
    }

    private static int bindMutable(PreparedStatement ps, int first, Encoded e) throws SQLException {
        Job job = e.job();
        int i = first;
        ps.setString(i++, job.jobList());
        ps.setString(i++, job.jobType());
        ps.setString(i++, job.runId());
        ps.setString(i++, job.ownerId());
        ps.setString(i++, job.phase().name());
        setInstant(ps, i++, job.quote());
        setInstant(ps, i++, job.creationTime());
        setInstant(ps, i++, job.startTime());
        setInstant(ps, i++, job.endTime());
        ps.setLong(i++, job.executionDuration());
        setInstant(ps, i++, job.destruction());
        setInstant(ps, i++, job.deadline().orElse(null));
        Lease l = job.lease();
        ps.setString(i++, l == null ? null : l.nodeId());
        setInstant(ps, i++, l == null ? null : l.expiresAt());
        ps.setString(i++, l == null ? null : l.backend());
        ps.setString(i++, l == null ? null : l.backendRef());
        ps.setString(i++, e.params());
        ps.setString(i++, e.results());
        ps.setString(i++, e.error());
        ps.setString(i++, e.jobInfo());
        ps.setString(i++, e.history());
        ps.setInt(i++, FORMAT_VERSION);
        ps.setLong(i++, job.version());
        ps.setLong(i++, e.uploadBytes());
        return i;
    }

    /** Reads a whole job from the current row (all of {@link #COLUMNS}). */
    public Job job(ResultSet rs) throws SQLException {
        int format = rs.getInt("format_version");
        String jobId = rs.getString("job_id");
        if (format > FORMAT_VERSION) {
            throw new IllegalStateException("job '" + jobId + "' was stored in format " + format
                    + " by a newer uwskit; this version reads format " + FORMAT_VERSION + " and older");
        }
        String leaseNode = rs.getString("lease_node");
        Lease lease = leaseNode == null ? null : new Lease(leaseNode, getInstant(rs, "lease_expires"),
                rs.getString("lease_backend"), rs.getString("lease_backend_ref"));
        String errorJson = rs.getString("error_json");
        return Job.builder(jobId, rs.getString("job_list"), rs.getString("job_type"), getInstant(rs, "creation_time"))
                .rawPhase(Phase.valueOf(rs.getString("phase")))
                .runId(rs.getString("run_id"))
                .ownerId(rs.getString("owner_id"))
                .quote(getInstant(rs, "quote_time"))
                .startTime(getInstant(rs, "start_time"))
                .endTime(getInstant(rs, "end_time"))
                .executionDuration(rs.getLong("execution_duration"))
                .destruction(getInstant(rs, "destruction"))
                .parameters(parameters(rs.getString("params_json")))
                .results(results(rs.getString("results_json")))
                .error(errorJson == null ? null : error(errorJson))
                .jobInfo(jobInfo(rs.getString("job_info_json")))
                .history(history(rs.getString("history_json")))
                .lease(lease)
                .version(rs.getLong("version"))
                .build();
    }

    /** Reads a job reference from the current row ({@link #REF_COLUMNS}). */
    public JobRef ref(ResultSet rs) throws SQLException {
        return new JobRef(rs.getString("job_id"), Phase.valueOf(rs.getString("phase")), rs.getString("run_id"),
                rs.getString("owner_id"), getInstant(rs, "creation_time"));
    }

    String parametersJson(List<Parameter> parameters) {
        ArrayNode a = mapper.createArrayNode();
        for (Parameter p : parameters) {
            ObjectNode o = a.addObject().put("name", p.name()).put("value", p.value()).put("byReference", p.byReference());
            if (p.upload() != null) {
                o.putObject("upload").put("fileName", p.upload().fileName()).put("mimeType", p.upload().mimeType())
                        .put("size", p.upload().size());
            }
        }
        return write(a);
    }

    List<Parameter> parameters(String json) {
        List<Parameter> out = new ArrayList<>();
        for (JsonNode o : read(json)) {
            JsonNode u = o.get("upload");
            Parameter.Upload upload = u == null || u.isNull() ? null
                    : new Parameter.Upload(text(u, "fileName"), text(u, "mimeType"), u.path("size").asLong());
            out.add(new Parameter(text(o, "name"), text(o, "value"), o.path("byReference").asBoolean(), upload));
        }
        return out;
    }

    String resultsJson(List<Result> results) {
        ArrayNode a = mapper.createArrayNode();
        for (Result r : results) {
            a.addObject().put("id", r.id()).put("location", r.location() == null ? null : r.location().toString())
                    .put("mimeType", r.mimeType()).put("size", r.size());
        }
        return write(a);
    }

    List<Result> results(String json) {
        List<Result> out = new ArrayList<>();
        for (JsonNode o : read(json)) {
            String loc = text(o, "location");
            out.add(new Result(text(o, "id"), loc == null ? null : URI.create(loc), text(o, "mimeType"),
                    o.path("size").asLong(-1)));
        }
        return out;
    }

    String errorJson(ErrorSummary e) {
        return write(mapper.createObjectNode().put("type", e.type().name()).put("message", e.message())
                .put("detail", e.detail()));
    }

    ErrorSummary error(String json) {
        JsonNode o = read(json);
        return new ErrorSummary(ErrorSummary.Type.valueOf(text(o, "type")), text(o, "message"), text(o, "detail"));
    }

    String jobInfoJson(Map<String, String> info) {
        ObjectNode o = mapper.createObjectNode();
        info.forEach(o::put);
        return write(o);
    }

    Map<String, String> jobInfo(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = read(json).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        return out;
    }

    String historyJson(List<PhaseChange> history) {
        ArrayNode a = mapper.createArrayNode();
        for (PhaseChange c : history) {
            a.addObject().put("from", c.from() == null ? null : c.from().name()).put("to", c.to().name())
                    .put("at", stored(c.at()).toString()).put("reason", c.reason());
        }
        return write(a);
    }

    List<PhaseChange> history(String json) {
        List<PhaseChange> out = new ArrayList<>();
        for (JsonNode o : read(json)) {
            String from = text(o, "from");
            out.add(new PhaseChange(from == null ? null : Phase.valueOf(from), Phase.valueOf(text(o, "to")),
                    Instant.parse(text(o, "at")), text(o, "reason")));
        }
        return out;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job JSON: " + e.getMessage(), e);
        }
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored job JSON is corrupt: " + e.getOriginalMessage(), e);
        }
    }
}
