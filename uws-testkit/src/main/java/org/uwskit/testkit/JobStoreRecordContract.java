package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.JobNotFoundException;
import org.uwskit.Lease;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.StaleVersionException;

/**
 * The {@link JobStoreContract} group on single records: a job round-trips with every field at millisecond
 * precision in UTC, an unknown id reads empty, a duplicate insert is refused, update is a compare-and-set on the
 * version ({@link org.uwskit.StaleVersionException}), delete removes a job once, close is idempotent. Extend
 * {@link JobStoreContract}, which runs every group.
 */
abstract class JobStoreRecordContract extends JobStoreFixture {
    // ------------------------------------------------------------------ insert, get, update, delete

    @Test
    void aJobRoundTripsWithEveryFieldAtMillisecondPrecisionInUtc() {
        Instant created = T0;
        Job j = Job.builder(JobIds.next(), list, "demo", created)
                .runId("run-1").ownerId("alice").quote(T0.plusMillis(60_500))
                .startTime(T0.plusMillis(1_001)).endTime(T0.plusMillis(2_002))
                .executionDuration(3600).destruction(T0.plusMillis(86_400_999))
                .parameters(List.of(Parameter.of("QUERY", "SELECT 1 ü ✓"), Parameter.of("query", "second value"),
                        Parameter.byReference("in", "http://example.org/x?a=1&b=2"),
                        new Parameter("file", "param:file", true, new Parameter.Upload("a.csv", "text/csv", 42))))
                .results(List.of(Result.stored("out", "text/plain", 12),
                        new Result("ext", URI.create("http://example.org/r/1"), null, -1)))
                .error(new ErrorSummary(ErrorSummary.Type.TRANSIENT, "boom", "line 1\nline 2"))
                .jobInfo(Map.of("progress", "0.500"))
                .lease(new Lease("node-a", T0.plusMillis(30_007), "local", "ref-9"))
                .phase(Phase.PENDING, created, "created")
                .build();
        j = j.toBuilder().phase(Phase.QUEUED, T0.plusMillis(500), "client RUN")
                .phase(Phase.EXECUTING, T0.plusMillis(1_001), "started")
                .phase(Phase.ERROR, T0.plusMillis(2_002), null).build();
        store.insert(j);
        Job back = store.get(j.jobId()).orElseThrow();
        assertThat(back).isEqualTo(j);
        assertThat(back.creationTime()).isEqualTo(Instant.parse("2031-05-06T07:08:09.123Z"));
        assertThat(back.history()).extracting(PhaseChange::from).containsExactly(null, Phase.PENDING, Phase.QUEUED,
                Phase.EXECUTING);
    }

    @Test
    void getOfAnUnknownJobIsEmpty() {
        assertThat(store.get(JobIds.next())).isEmpty();
    }

    @Test
    void insertingAnExistingIdIsRefused() {
        Job j = job(0);
        store.insert(j);
        assertThatThrownBy(() -> store.insert(j)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void updateIsACompareAndSetOnTheVersion() {
        Job j = job(0);
        store.insert(j);
        Job v1 = update(j, b -> b.runId("one"));
        assertThat(store.get(j.jobId()).orElseThrow()).isEqualTo(v1);
        // a second writer that read version 0 loses
        Job stale = j.toBuilder().runId("stale").version(1).build();
        assertThatThrownBy(() -> store.update(stale)).isInstanceOf(StaleVersionException.class);
        Job skipping = v1.toBuilder().version(3).build();
        assertThatThrownBy(() -> store.update(skipping)).isInstanceOf(StaleVersionException.class);
        assertThat(store.get(j.jobId()).orElseThrow().runId()).isEqualTo("one");
        Job v2 = update(v1, b -> b.phase(Phase.QUEUED, T0.plusSeconds(1), "client RUN"));
        assertThat(store.get(j.jobId()).orElseThrow()).isEqualTo(v2);
    }

    @Test
    void updateOfAMissingJobIsNotFound() {
        Job j = job(0).toBuilder().version(1).build();
        assertThatThrownBy(() -> store.update(j)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void deleteRemovesTheJobOnce() {
        Job j = job(0);
        store.insert(j);
        assertThat(store.delete(j.jobId())).isTrue();
        assertThat(store.delete(j.jobId())).isFalse();
        assertThat(store.get(j.jobId())).isEmpty();
        assertThat(all(JobFilter.all(list))).isEmpty();
    }

    @Test
    void closeIsIdempotent() {
        store.close();
        store.close();
        store = createStore();
    }
}
