package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.memory.InMemoryResultStore;

/** WAIT runs on the service's clock: a test moves a SettableClock instead of sleeping. */
class SettableClockWaitTest {

    @Test
    void aWaitTimesOutExactlyWhenTheSettableClockPassesItsTimeout() throws Exception {
        SettableClock clock = new SettableClock();
        try (JobService service = JobService.builder().clock(clock).resultStore(new InMemoryResultStore())
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build())
                .build()) {
            Job j = service.create(Caller.of("alice"), "demo", JobRequest.builder().build());
            CompletableFuture<Job> wait = service.awaitChange(Caller.of("alice"), "demo", j.jobId(),
                    Duration.ofSeconds(30), null);
            clock.advance(Duration.ofSeconds(29));
            assertThat(wait).isNotDone();
            clock.advance(Duration.ofSeconds(1));
            assertThat(wait).isDone();
            assertThat(wait.get().phase()).isEqualTo(Phase.PENDING);
        }
    }
}
