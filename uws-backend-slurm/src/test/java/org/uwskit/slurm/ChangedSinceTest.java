package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobState;
import org.uwskit.slurm.internal.ChangedSince;

/** The merge of {@code update_time} answers into the last known states, and when a poll must ask for every job. */
class ChangedSinceTest {
    private static final long T0 = 1_796_500_000L;

    private static JobInfo info(String id, String state) {
        return JobInfo.fromSlurm(id, state, null, 0);
    }

    private static Map<String, JobInfo> answer(JobInfo... infos) {
        Map<String, JobInfo> m = new LinkedHashMap<>();
        for (JobInfo i : infos) {
            m.put(i.jobId(), i);
        }
        return m;
    }

    @Test
    void theFirstPollAsksForEveryJobThenChangesSinceItsSecondMinusTheMargin() {
        ChangedSince c = new ChangedSince(30, 5);
        assertThat(c.updateTime(List.of("1"))).isEqualTo(-1);
        c.full(List.of("1"), answer(info("1", "PENDING"), info("99", "COMPLETED")), T0);
        assertThat(c.updateTime(List.of("1"))).isEqualTo(T0 - 5);
        c.since(List.of("1"), Map.of(), T0 + 2);
        assertThat(c.updateTime(List.of("1"))).isEqualTo(T0 + 2 - 5);
    }

    @Test
    void aJobAbsentFromAnUpdateAnswerIsUnchangedNeverForgotten() {
        ChangedSince c = new ChangedSince(30, 0);
        List<String> ids = List.of("1", "2");
        c.full(ids, answer(info("1", "PENDING"), info("2", "RUNNING")), T0);
        // HTTP 304: nothing changed
        Map<String, JobInfo> unchanged = c.since(ids, Map.of(), T0 + 1);
        assertThat(unchanged).containsOnlyKeys("1", "2");
        assertThat(unchanged.get("1").state()).isEqualTo(JobState.QUEUED);
        assertThat(unchanged.get("2").state()).isEqualTo(JobState.RUNNING);
        // an answer naming job 1 only: job 2 keeps its state
        Map<String, JobInfo> merged = c.since(ids, answer(info("1", "RUNNING")), T0 + 2);
        assertThat(merged.get("1").state()).isEqualTo(JobState.RUNNING);
        assertThat(merged.get("2").state()).isEqualTo(JobState.RUNNING);
        // and the merged state is what later 304s give
        assertThat(c.since(ids, Map.of(), T0 + 3).get("1").state()).isEqualTo(JobState.RUNNING);
        assertThat(c.since(ids, answer(info("2", "COMPLETED")), T0 + 4).get("2").state()).isEqualTo(JobState.DONE);
    }

    @Test
    void onlyAFullAnswerSaysSlurmForgotAJobAndThenTheNextPollIsFullAgain() {
        ChangedSince c = new ChangedSince(30, 0);
        List<String> ids = List.of("1", "2");
        c.full(ids, answer(info("1", "RUNNING"), info("2", "RUNNING")), T0);
        Map<String, JobInfo> full = c.full(ids, answer(info("1", "RUNNING")), T0 + 1);
        assertThat(full).containsOnlyKeys("1"); // 2 forgotten: the caller reads the completion log
        assertThat(c.updateTime(ids)).as("job 2 is not known: ask for every job").isEqualTo(-1);
        assertThat(c.updateTime(List.of("1"))).isEqualTo(T0 + 1);
    }

    @Test
    void aJobNeverSeenMakesThePollFull() {
        ChangedSince c = new ChangedSince(30, 0);
        c.full(List.of("1"), answer(info("1", "RUNNING")), T0);
        assertThat(c.updateTime(List.of("1", "3"))).isEqualTo(-1);
        c.full(List.of("1", "3"), answer(info("1", "RUNNING"), info("3", "PENDING")), T0 + 1);
        assertThat(c.updateTime(List.of("1", "3"))).isEqualTo(T0 + 1);
    }

    @Test
    void aFailedPollMakesTheNextOneFull() {
        ChangedSince c = new ChangedSince(30, 0);
        c.full(List.of("1"), answer(info("1", "RUNNING")), T0);
        c.failed();
        assertThat(c.updateTime(List.of("1"))).isEqualTo(-1);
        c.full(List.of("1"), answer(info("1", "RUNNING")), T0 + 9);
        assertThat(c.updateTime(List.of("1"))).isEqualTo(T0 + 9);
    }

    @Test
    void everyNthPollIsFull() {
        ChangedSince c = new ChangedSince(3, 0);
        List<String> ids = List.of("1");
        c.full(ids, answer(info("1", "RUNNING")), T0);
        assertThat(c.updateTime(ids)).isPositive();
        c.since(ids, Map.of(), T0 + 1);
        assertThat(c.updateTime(ids)).isPositive();
        c.since(ids, Map.of(), T0 + 2);
        assertThat(c.updateTime(ids)).as("third poll since the full one").isEqualTo(-1);
        c.full(ids, answer(info("1", "RUNNING")), T0 + 3);
        assertThat(c.updateTime(ids)).isEqualTo(T0 + 3);
        ChangedSince always = new ChangedSince(1, 0);
        always.full(ids, answer(info("1", "RUNNING")), T0);
        assertThat(always.updateTime(ids)).isEqualTo(-1);
    }

    @Test
    void callersAskingAboutOtherJobsShareWhatIsKnownAndAFullAnswerDropsWhatSlurmForgot() {
        ChangedSince c = new ChangedSince(30, 0);
        c.full(List.of("1", "2"), answer(info("1", "RUNNING"), info("2", "RUNNING")), T0);
        c.since(List.of("1"), Map.of(), T0 + 1); // a look-up of job 1 alone
        assertThat(c.updateTime(List.of("1", "2"))).as("2 still known").isEqualTo(T0 + 1);
        // a full answer for job 1 alone refreshes job 2 too, and drops job 3 (asked before, no longer held)
        c.full(List.of("3"), answer(info("1", "RUNNING"), info("2", "RUNNING"), info("3", "PENDING")), T0 + 2);
        c.full(List.of("1"), answer(info("1", "RUNNING"), info("2", "COMPLETED")), T0 + 3);
        assertThat(c.since(List.of("2"), Map.of(), T0 + 4).get("2").state()).isEqualTo(JobState.DONE);
        assertThat(c.updateTime(List.of("3"))).as("3 forgotten: not known any more").isEqualTo(-1);
    }

    @Test
    void theTimeNeverGoesBelowZeroAndBadSettingsAreRefused() {
        ChangedSince c = new ChangedSince(30, 100);
        c.full(List.of(), Map.of(), 10);
        assertThat(c.updateTime(List.of())).isZero();
        assertThatThrownBy(() -> new ChangedSince(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChangedSince(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
