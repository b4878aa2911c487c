package org.uwskit.slurm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobTemplate;

/**
 * slurmrestd's API v0.0.38 (Slurm 22.05, Debian 12): a job's state is one string ({@code job_state}), its
 * {@code exit_code} the raw wait status, an unknown job id an HTTP 500 with error 2017. Its {@code signal} field
 * refuses the {@code B:} prefix, so the time-limit warning reaches the job's steps but not the batch script itself.
 */
public final class RestV0038 implements RestMapping {
    /** The version this class maps. */
    public static final String VERSION = "v0.0.38";
    private static final String BASE = "/slurm/" + VERSION;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String submitPath() {
        return BASE + "/job/submit";
    }

    @Override
    public String jobsPath() {
        return BASE + "/jobs";
    }

    @Override
    public String jobsChangedSincePath(long updateTime) {
        return BASE + "/jobs?update_time=" + updateTime;
    }

    @Override
    public String jobPath(String jobId) {
        return BASE + "/job/" + jobId;
    }

    @Override
    public String pingPath() {
        return BASE + "/ping";
    }

    @Override
    public Map<String, Object> submitBody(JobTemplate t) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", t.jobName());
        job.put("current_working_directory", t.workingDirectory());
        job.put("standard_output", t.outputPath());
        job.put("standard_error", t.errorPath());
        job.put("environment", t.environment()); // required by slurmrestd (HTTP 400, error 2127 without it)
        job.put("cpus_per_task", t.minSlots());
        if (t.queueName() != null) {
            job.put("partition", t.queueName());
        }
        if (t.account() != null) {
            job.put("account", t.account());
        }
        if (t.qos() != null) {
            job.put("qos", t.qos());
        }
        if (t.minPhysMemoryMb() > 0) {
            job.put("memory_per_node", t.minPhysMemoryMb());
        }
        if (t.wallclockMinutes() > 0) {
            job.put("time_limit", t.wallclockMinutes());
        }
        if (t.warningSignal() > 0) {
            // v0.0.38 refuses "B:" (batch shell only): the warning reaches the job's steps (srun), not the script
            job.put("signal", "USR2@" + t.warningSignal());
        }
        job.put("requeue", t.rerunnable());
        if (t.submitAsHold()) {
            job.put("hold", true);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("script", t.script());
        body.put("job", job);
        return body;
    }

    @Override
    public Map<String, Object> holdBody(boolean hold) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("hold", hold);
        return b;
    }

    @Override
    public String submittedJobId(JsonNode response) {
        JsonNode id = response.path("job_id");
        return id.isIntegralNumber() ? id.asText() : null;
    }

    @Override
    public Map<String, JobInfo> jobs(JsonNode response) {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        for (JsonNode j : response.path("jobs")) {
            String id = j.path("job_id").asText();
            JsonNode exit = j.path("exit_code");
            out.put(id, JobInfo.fromSlurm(id, j.path("job_state").asText(null), j.path("state_reason").asText(null),
                    exit.isIntegralNumber() ? exit.asInt() : null));
        }
        return out;
    }

    @Override
    public Map<String, List<String>> jobIdsByName(JsonNode response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (JsonNode j : response.path("jobs")) {
            String name = j.path("name").asText(null);
            if (name != null && j.path("job_id").isIntegralNumber()) {
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(j.path("job_id").asText());
            }
        }
        out.values().forEach(ids -> ids.sort(java.util.Comparator.comparingLong(Long::parseLong)));
        return out;
    }

    @Override
    public List<String> errors(JsonNode response) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : response.path("errors")) {
            String d = e.path("description").asText("");
            String w = e.path("error").asText("");
            int n = e.path("error_number").asInt(e.path("error_code").asInt(0)); // submit says error_code
            String text = (d.isEmpty() ? w : w.isEmpty() || d.equals(w) ? d : d + " (" + w + ")")
                    + (n != 0 ? " [" + n + "]" : "");
            out.add(text.isBlank() ? "error " + n : text);
        }
        return out;
    }
}
