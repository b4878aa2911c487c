package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobService;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobLinks;

/** {@link UwsServlet.Builder#build()} refuses every bad setting with a message naming it. */
class UwsServletBuilderTest {
    @TempDir
    Path dir;

    private static JobService service() {
        JobList demo = JobList.builder("demo").definition(JobDefinition.builder("demo").build())
                .policy(JobListPolicy.builder().maxUploadSize(1 << 20).build()).build();
        return JobService.builder().jobList(demo).store(new InMemoryJobStore())
                .resultStore(new InMemoryResultStore()).build();
    }

    private void refused(UnaryOperator<UwsServlet.Builder> setting, String message) {
        UwsServlet.Builder b = setting.apply(UwsServlet.builder(service()).bodyDirectory(dir));
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void eachBadSettingIsRefusedByName() {
        refused(b -> b.retryAfterSeconds(0), "retryAfterSeconds");
        refused(b -> b.maxFormBytes(0), "maxFormBytes");
        refused(b -> b.multipartThreshold(-1), "multipartThreshold");
        refused(b -> b.htmlMaxJobs(0), "htmlMaxJobs");
        refused(b -> b.minBodyRate(-1), "minBodyRate");
        refused(b -> b.bodyRateGrace(Duration.ofSeconds(-1)), "bodyRateGrace");
        refused(b -> b.bodyTimeout(Duration.ZERO), "bodyTimeout");
        refused(b -> b.maxParts(0), "maxParts");
        refused(b -> b.maxMultipartBytes(0), "maxMultipartBytes");
        refused(b -> b.waitMargin(Duration.ofSeconds(-1)), "waitMargin");
        refused(b -> b.maxEventStreams(0), "maxEventStreams");
        refused(b -> b.maxEventStreamsPerOwner(0), "maxEventStreamsPerOwner");
        refused(b -> b.jobLists("nope"), "no job list 'nope'");
    }

    @Test
    void documentProvidersNeedAFreeNameAndAMediaType() {
        refused(b -> b.documentProvider(provider("phase", List.of("text/plain"))), "is a UWS sub-resource");
        refused(b -> b.documentProvider(provider("a/b", List.of("text/plain"))), "contains '/'");
        refused(b -> b.documentProvider(provider("prov", List.of("text/plain")))
                .documentProvider(provider("prov", List.of("text/plain"))), "used twice");
        refused(b -> b.documentProvider(provider("prov", List.of())), "offers no media type");
    }

    @Test
    void goodSettingsBuildAServlet() {
        UwsServlet servlet = UwsServlet.builder(service()).bodyDirectory(dir).maxParts(1).maxMultipartBytes(1)
                .documentProvider(provider("provenance", List.of("text/plain"))).jobLists("demo").build();
        assertThat(servlet).isNotNull();
        servlet.destroy();
        assertThat(dir).exists(); // a directory the host gave is the host's
    }

    private static JobDocumentProvider provider(String name, List<String> types) {
        return new JobDocumentProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> mediaTypes() {
                return types;
            }

            @Override
            public List<String> formatNames() {
                return types;
            }

            @Override
            public boolean appliesTo(Job job, JobList jobList) {
                return true;
            }

            @Override
            public void write(Job job, JobList jobList, JobLinks links, String mediaType, OutputStream out) {
            }
        };
    }
}
