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
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch last = new CountDownLatch(1);
        try (ChangeFanout fanout = new ChangeFanout("fanout-test")) {
            fanout.add(c -> {
                if ("block".equals(c.jobId())) {
                    awaitQuietly(release);
                }
                seen.add(c);
                if ("after".equals(c.jobId())) {
                    last.countDown();
                }
            });
            fanout.publishAsync(List.of(change("block")));
            for (int i = 0; i <= ChangeFanout.MAX_PENDING; i++) {   // one more than the queue holds
                fanout.publishAsync(List.of(change("j" + i)));
            }
            release.countDown();
            fanout.publishAsync(List.of(change("after")));
            assertThat(last.await(30, TimeUnit.SECONDS)).isTrue();
        }
        // exactly one resync, delivered after the drop happened (first delivery after it), before the later change
        assertThat(seen.stream().filter(JobChange::isResync).count()).isEqualTo(1);
        int resync = indexOfResync(seen);
        int after = seen.size() - 1;
        assertThat(seen.get(after).jobId()).isEqualTo("after");
        assertThat(resync).isGreaterThan(0).isLessThan(after);
        assertThat(seen.get(0).jobId()).isEqualTo("block");
        // and something really was dropped
        assertThat(seen.stream().filter(c -> !c.isResync()).count()).isLessThan(ChangeFanout.MAX_PENDING + 3);
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

    private static int indexOfResync(List<JobChange> seen) {
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).isResync()) {
                return i;
            }
        }
        return -1;
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
