package org.uwskit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.uwskit.Phase;
import org.uwskit.spi.JobChangeFeed.JobChange;

/** The in-process feed of the H2 store: a burst it had to drop is a gap, reported by a resync before the next change. */
class ChangeFanoutTest {

    @Test
    void changesDroppedWhileTheQueueIsFullAreFollowedByOneResync() throws Exception {
        List<JobChange> seen = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch drained = new CountDownLatch(1);
        CountDownLatch last = new CountDownLatch(1);
        String lastAccepted = "j" + (ChangeFanout.MAX_PENDING - 1);
        try (ChangeFanout fanout = new ChangeFanout("fanout-test")) {
            fanout.add(c -> {
                if ("block".equals(c.jobId())) {
                    entered.countDown();
                    awaitQuietly(release);
                }
                seen.add(c);
                if (lastAccepted.equals(c.jobId())) {
                    drained.countDown();
                }
                if ("after".equals(c.jobId())) {
                    last.countDown();
                }
            });
            fanout.publishAsync(List.of(change("block")));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();   // "block" is off the queue, being delivered
            for (int i = 0; i <= ChangeFanout.MAX_PENDING; i++) {        // fills the queue, then one is dropped
                fanout.publishAsync(List.of(change("j" + i)));
            }
            release.countDown();
            assertThat(drained.await(30, TimeUnit.SECONDS)).isTrue();
            fanout.publishAsync(List.of(change("after")));
            assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        }
        // block, then the resync (first delivery after the drop), then j0 .. j(MAX-1), then after; j(MAX) was dropped
        assertThat(seen).hasSize(ChangeFanout.MAX_PENDING + 3);
        assertThat(seen.get(0).jobId()).isEqualTo("block");
        assertThat(seen.get(1).isResync()).isTrue();
        assertThat(seen.get(2).jobId()).isEqualTo("j0");
        assertThat(seen.get(seen.size() - 1).jobId()).isEqualTo("after");
        assertThat(seen.stream().filter(JobChange::isResync).count()).isEqualTo(1);
        assertThat(seen).noneMatch(c -> ("j" + ChangeFanout.MAX_PENDING).equals(c.jobId()));
    }

    @Test
    void noDropNoResync() throws Exception {
        List<JobChange> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        try (ChangeFanout fanout = new ChangeFanout("fanout-test")) {
            fanout.add(c -> {
                seen.add(c);
                done.countDown();
            });
            fanout.publishAsync(List.of(change("a"), change("b"), change("c")));
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).noneMatch(JobChange::isResync);
    }

    private static JobChange change(String id) {
        return new JobChange(id, "demo", Phase.QUEUED, 1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
