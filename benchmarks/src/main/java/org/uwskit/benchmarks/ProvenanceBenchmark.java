package org.uwskit.benchmarks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvFormat;
import org.uwskit.prov.ProvWriters;
import org.uwskit.prov.ProvenanceBuilder;

/**
 * Provenance of a COMPLETED job with {@link #results} results, two by-value parameters and one by-reference input:
 * building the {@link ProvDocument} with {@link ProvenanceBuilder} and building + writing it as PROV-JSON, PROV-XML
 * and PROV-N with {@link ProvWriters} (pretty-printed, as the service serves them). Target: each well under 1 s.
 *
 * <p>Baseline: Jackson data binding writing the same {@link Result} records as a plain JSON array. It is the floor
 * for "10,000 things as JSON"; the PROV documents carry much more (per result an entity, a generation, an
 * attribution and a derivation, plus the activity, agents and description bundle), so the ratio is the price of the
 * full provenance graph, not a like-for-like serializer overhead. Each operation returns the bytes written (or
 * the document); the state is read-only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ProvenanceBenchmark {
    /** Results of the job. */
    @Param("10000")
    public int results;

    JobDefinition definition;
    Job job;
    final ProvenanceBuilder builder = ProvenanceBuilder.builder().build();
    final ProvWriters writers = ProvWriters.builder().dotExecutable(null).build();
    final ObjectMapper mapper = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** Builds the finished job (not timed). */
    @Setup(Level.Trial)
    public void setup() {
        definition = JobDefinition.builder("bench")
                .description("a benchmark job type")
                .parameter(ParameterDefinition.builder("maxrec", ParameterType.INTEGER).defaultValue("100"))
                .parameter(ParameterDefinition.builder("radius", ParameterType.REAL).unit("deg"))
                .parameter(ParameterDefinition.builder("input", ParameterType.URI))
                .build();
        Instant created = Fixtures.BASE;
        Instant started = created.plusSeconds(5);
        Instant ended = started.plusSeconds(600);
        List<Result> list = new ArrayList<>(results);
        for (int i = 0; i < results; i++) {
            list.add(Result.stored("r" + i, "application/x-votable+xml", 1024L + i));
        }
        job = Job.builder(Fixtures.jobId(1), Fixtures.JOB_LIST, "bench", created)
                .ownerId("alice")
                .runId("prov-bench")
                .parameters(List.of(Parameter.of("maxrec", "500"), Parameter.of("radius", "0.25"),
                        Parameter.byReference("input", "http://data.example.org/catalogue.fits")))
                .phase(Phase.PENDING, created, null)
                .phase(Phase.QUEUED, created.plusSeconds(1), null)
                .phase(Phase.EXECUTING, started, null)
                .startTime(started)
                .results(list)
                .phase(Phase.COMPLETED, ended, null)
                .endTime(ended)
                .executionDuration(3600)
                .build();
    }

    /** uwskit: the ProvDM document only. */
    @Benchmark
    public ProvDocument build() {
        return builder.document(job, definition, Fixtures.LINKS, null);
    }

    /** uwskit: build and write PROV-JSON. */
    @Benchmark
    public long provJson() throws IOException {
        return write(ProvFormat.JSON);
    }

    /** uwskit: build and write PROV-XML. */
    @Benchmark
    public long provXml() throws IOException {
        return write(ProvFormat.XML);
    }

    /** uwskit: build and write PROV-N. */
    @Benchmark
    public long provN() throws IOException {
        return write(ProvFormat.PROVN);
    }

    /** Baseline: the job's results as a plain JSON array by Jackson data binding. */
    @Benchmark
    public long baselineJacksonResults() throws IOException {
        Fixtures.CountingOutputStream out = new Fixtures.CountingOutputStream();
        mapper.writeValue(out, job.results());
        return out.count();
    }

    long write(ProvFormat format) throws IOException {
        Fixtures.CountingOutputStream out = new Fixtures.CountingOutputStream();
        writers.write(builder.document(job, definition, Fixtures.LINKS, null), format, out);
        return out.count();
    }
}
