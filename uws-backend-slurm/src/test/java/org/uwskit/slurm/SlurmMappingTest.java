package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobState;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.slurm.drmaa.SlurmStates;
import org.uwskit.slurm.internal.JobCompLog;
import org.uwskit.slurm.internal.Outcomes;
import org.uwskit.slurm.internal.RestMapping;

/** SLURM's states, wait statuses, squeue lines, the completion log and the REST v0.0.38 JSON, without a cluster. */
class SlurmMappingTest {

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "PENDING, Resources, QUEUED", "PENDING, JobHeldUser, QUEUED_HELD", "PENDING, JobHeldAdmin, QUEUED_HELD",
        "RUNNING, -, RUNNING", "COMPLETING, -, RUNNING", "SUSPENDED, -, SUSPENDED", "COMPLETED, -, DONE",
        "FAILED, NonZeroExitCode, FAILED", "CANCELLED, -, FAILED", "TIMEOUT, TimeLimit, FAILED",
        "NODE_FAIL, -, FAILED", "OUT_OF_MEMORY, -, FAILED", "BOOT_FAIL, -, FAILED", "DEADLINE, -, FAILED",
        "PREEMPTED, -, FAILED", "REQUEUED, -, REQUEUED", "REQUEUE_HOLD, -, REQUEUED_HELD", "WEIRD, -, UNDETERMINED"})
    void everySlurmStateHasADrmaaState(String state, String reason, JobState expected) {
        assertThat(SlurmStates.drmaaState(state, reason)).isEqualTo(expected);
    }

    @Test
    void baseStatesDropFlagsAndCase() {
        assertThat(SlurmStates.baseState("CANCELLED by 0")).isEqualTo("CANCELLED");
        assertThat(SlurmStates.baseState("running,COMPLETING")).isEqualTo("RUNNING");
        assertThat(SlurmStates.baseState(null)).isEqualTo("UNKNOWN");
    }

    @Test
    void rawWaitStatusesAreDecodedIntoExitCodeOrSignal() {
        JobInfo exit3 = JobInfo.fromSlurm("7", "FAILED", "NonZeroExitCode", 768);
        assertThat(exit3.exitStatus()).isEqualTo(3);
        assertThat(exit3.signal()).isNull();
        JobInfo killed = JobInfo.fromSlurm("8", "FAILED", "RaisedSignal", 9);
        assertThat(killed.exitStatus()).isNull();
        assertThat(killed.signal()).isEqualTo(9);
        assertThat(Outcomes.failure(exit3)).isEqualTo("SLURM job 7 FAILED: exit code 3");
        assertThat(Outcomes.failure(killed)).isEqualTo("SLURM job 8 FAILED: killed by SIGKILL (9)");
        assertThat(Outcomes.failure(JobInfo.fromSlurm("9", "OUT_OF_MEMORY", "OutOfMemory", 0)))
                .isEqualTo("SLURM job 9 OUT_OF_MEMORY: the job ran out of memory — the job ran out of memory"
                        + " (OutOfMemory)");
        assertThat(Outcomes.failure(JobInfo.fromSlurm("10", "NODE_FAIL", "NodeDown", null)))
                .contains("a node of the job failed").contains("(NodeDown)");
    }

    @Test
    void squeueLinesAreParsedAndPendingExitCodesIgnored() {
        Map<String, JobInfo> out = new LinkedHashMap<>();
        CommandSession.parseSqueue("12|PENDING|JobHeldAdmin|N/A|\n13|FAILED|NonZeroExitCode|768|\n\n", out);
        assertThat(out).containsOnlyKeys("12", "13");
        assertThat(out.get("12").state()).isEqualTo(JobState.QUEUED_HELD);
        assertThat(out.get("12").exitStatus()).isNull();
        assertThat(out.get("13").exitStatus()).isEqualTo(3);
    }

    @Test
    void sbatchOptionsCarryTheLimitsAndNeverTheClientsValues() {
        JobTemplate t = new JobTemplate("uws-abc", "#!/bin/bash\n", "/w/abc/.uws/job.sh", "/w/abc",
                "/w/abc/.uws/stdout", "/w/abc/.uws/stderr", Map.of("PATH", "/bin"), "debug", null, null, 2, 512,
                10, 30, false, false);
        assertThat(CommandSession.sbatchOptions(t)).containsExactly("--parsable", "--job-name=uws-abc",
                "--chdir=/w/abc", "--output=/w/abc/.uws/stdout", "--error=/w/abc/.uws/stderr", "--export=NONE",
                "--cpus-per-task=2", "--partition=debug", "--mem=512", "--time=10", "--signal=B:USR2@30",
                "--no-requeue");
    }

    @Test
    void theCompletionLogGivesFinalStatesOfForgottenJobsEvenWithBlanksInNames(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("jobcomp.log");
        Files.writeString(log, """
                JobId=1 UserId=root(0) GroupId=root(0) Name=ok JobState=COMPLETED Partition=debug ExitCode=0:0\s
                JobId=2 UserId=root(0) GroupId=root(0) Name=a JobId=99 name JobState=FAILED Partition=debug ExitCode=3:0\s
                JobId=3 UserId=root(0) GroupId=root(0) Name=t JobState=TIMEOUT Partition=debug ExitCode=0:0\s
                JobId=4 UserId=root(0) GroupId=root(0) Name=k JobState=FAILED Partition=debug ExitCode=0:9\s
                """);
        Map<String, JobInfo> found = new JobCompLog(log).find(List.of("1", "2", "3", "4", "5", "99"));
        assertThat(found).containsOnlyKeys("1", "2", "3", "4");
        assertThat(found.get("1").state()).isEqualTo(JobState.DONE);
        assertThat(found.get("2").exitStatus()).isEqualTo(3);
        assertThat(found.get("3").slurmState()).isEqualTo("TIMEOUT");
        assertThat(found.get("4").signal()).isEqualTo(9);
        assertThat(new JobCompLog(dir.resolve("missing")).find(List.of("1"))).isEmpty();
    }

    @Test
    void restV0038MapsTheSubmitRequestJobsAndErrors() throws Exception {
        RestMapping api = RestMapping.forVersion("v0.0.38");
        JobTemplate t = new JobTemplate("uws-abc", "#!/bin/bash\n", "/w/abc/.uws/job.sh", "/w/abc",
                "/w/abc/.uws/stdout", "/w/abc/.uws/stderr", Map.of("PATH", "/bin"), null, null, null, 1, 0, 5, 0,
                false, true);
        Map<String, Object> body = api.submitBody(t);
        assertThat(body).containsEntry("script", "#!/bin/bash\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>) body.get("job");
        assertThat(job).containsEntry("current_working_directory", "/w/abc").containsEntry("time_limit", 5L)
                .containsEntry("requeue", false).containsEntry("hold", true).containsEntry("environment",
                        Map.of("PATH", "/bin")).doesNotContainKey("signal").doesNotContainKey("partition");
        ObjectMapper json = new ObjectMapper();
        assertThat(api.submittedJobId(json.readTree("{\"job_id\": 8, \"errors\": []}"))).isEqualTo("8");
        Map<String, JobInfo> jobs = api.jobs(json.readTree("""
                {"jobs": [{"job_id": 11, "job_state": "FAILED", "state_reason": "NonZeroExitCode", "exit_code": 768},
                          {"job_id": 12, "job_state": "PENDING", "state_reason": "JobHeldUser", "exit_code": 0}]}"""));
        assertThat(jobs.get("11").exitStatus()).isEqualTo(3);
        assertThat(jobs.get("12").state()).isEqualTo(JobState.QUEUED_HELD);
        assertThat(api.errors(json.readTree("""
                {"errors": [{"description": "Unable to find JobId=9999", "error_number": 2017,
                  "error": "Invalid job id specified"}]}""")))
                .containsExactly("Unable to find JobId=9999 (Invalid job id specified) [2017]");
        assertThatThrownBy(() -> RestMapping.forVersion("v0.0.41")).hasMessageContaining("v0.0.38");
    }

    @Test
    void theCompletionLogFindsJobsByTheirMarkerName(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("jobcomp.log");
        Files.writeString(log, """
                JobId=7 UserId=root(0) GroupId=root(0) Name=uws-abc JobState=COMPLETED ReservationName=uws-x ExitCode=0:0\s
                JobId=8 UserId=root(0) GroupId=root(0) Name=uws-def JobState=FAILED Partition=debug ExitCode=2:0\s
                JobId=9 UserId=root(0) GroupId=root(0) Name=other JobState=COMPLETED Partition=debug ExitCode=0:0\s
                """);
        Map<String, JobInfo> found = new JobCompLog(log).findByName(List.of("uws-abc", "uws-def", "uws-x", "uws-zzz"));
        assertThat(found).containsOnlyKeys("uws-abc", "uws-def");
        assertThat(found.get("uws-abc").jobId()).isEqualTo("7");
        assertThat(found.get("uws-def").exitStatus()).isEqualTo(2);
    }

    @Test
    void restV0038FindsJobsByNameAndReadsSubmitErrorCodes() throws Exception {
        RestMapping api = RestMapping.forVersion("v0.0.38");
        ObjectMapper json = new ObjectMapper();
        assertThat(api.jobIdsByName(json.readTree("""
                {"jobs": [{"job_id": 21, "name": "uws-a"}, {"job_id": 5, "name": "uws-a"}, {"job_id": 6, "name": "b"}]}""")))
                .containsEntry("uws-a", List.of("5", "21")).containsEntry("b", List.of("6"));
        assertThat(api.errors(json.readTree("""
                {"errors": [{"error_code": 1800, "error": "Unable to contact slurm controller (connect failure)"}]}""")))
                .containsExactly("Unable to contact slurm controller (connect failure) [1800]");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)|true",
        "slurm_load_jobs error: Unable to contact slurm controller (connect failure)|true",
        "sbatch: error: Batch job submission failed: Socket timed out on send/recv operation|true",
        "squeue: error: Munge encode failed: Failed to access \"/run/munge/munge.socket.2\"|true",
        "sbatch: error: Batch job submission failed: Invalid partition name specified|false",
        "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy|false",
        "sbatch: error: Batch job submission failed: Requested node configuration is not available|false"})
    void slurmsMessagesTellUnreachableFromRefused(String message, boolean unreachable) {
        assertThat(org.uwskit.slurm.drmaa.UnreachableException.saysUnreachable(message)).isEqualTo(unreachable);
    }
}
