package org.uwskit.prov;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.spi.JobLinks;

/** Finished demo jobs built directly with the model: a completed cutout, a failed one, an aborted one, a chain. */
final class DemoJobs {
    static final JobLinks LINKS = JobLinks.under("https://uws.example.org/cutout/jobs");
    static final Instant T0 = Instant.parse("2024-05-14T09:29:55Z");

    static final JobDefinition CUTOUT = JobDefinition.builder("cutout")
            .description("Extract a square cutout around (RA, DEC) from a FITS image")
            .parameter(ParameterDefinition.builder("RA", ParameterType.REAL).required().min(0).max(360).unit("deg")
                    .ucd("pos.eq.ra").description("Right ascension of the cutout centre (ICRS)"))
            .parameter(ParameterDefinition.builder("DEC", ParameterType.REAL).required().unit("deg").ucd("pos.eq.dec"))
            .parameter(ParameterDefinition.builder("RADIUS", ParameterType.REAL).defaultValue("0.1").unit("deg"))
            .parameter(ParameterDefinition.builder("FLIP", ParameterType.BOOLEAN).defaultValue("false"))
            .parameter(ParameterDefinition.builder("LIMIT", ParameterType.INTEGER))
            .parameter(ParameterDefinition.builder("EPOCH", ParameterType.INSTANT))
            .parameter(ParameterDefinition.builder("MODE", ParameterType.ENUMERATED).options("fast", "exact"))
            .parameter(ParameterDefinition.builder("IMAGE", ParameterType.FILE).required().description("FITS image to cut"))
            .parameter(ParameterDefinition.builder("MASK", ParameterType.FILE))
            .build();
    static final JobDefinition CHAIN = JobDefinition.builder("stack")
            .parameter(ParameterDefinition.builder("INPUT", ParameterType.URI).multiValued())
            .build();
    static final JobList JOB_LIST = JobList.builder("cutout").definition(CUTOUT).definition(CHAIN).build();

    static final ProvenanceBuilder PROVENANCE = ProvenanceBuilder.builder()
            .serviceName("Cutout UWS service").serviceVersion("1.2.0").docUrl("https://uws.example.org/cutout/doc")
            .activityType("Selection").ownerNames(o -> o.equals("alice") ? "Alice Example" : null)
            .checksums((job, r) -> r.id().equals("cutout") ? java.util.Map.of("sha1", "3c0d1e9f2b6a4a7c1f0e0b1b2c3d4e5f60718293") : java.util.Map.of())
            .build();

    private DemoJobs() {
    }

    private static Job.Builder base(String id, String type, String owner) {
        return Job.builder(id, "cutout", type, T0).ownerId(owner).executionDuration(600)
                .destruction(Instant.parse("2024-06-14T09:29:55Z"))
                .phase(Phase.PENDING, T0, "created");
    }

    static Job completed() {
        return base("j7f3a2", "cutout", "alice").runId("m1-test")
                .parameters(List.of(Parameter.of("RA", "83.6331"), Parameter.of("DEC", "22.0145"),
                        Parameter.of("RADIUS", "0.1"), Parameter.of("FLIP", "yes"), Parameter.of("LIMIT", "1000"),
                        Parameter.of("EPOCH", "2000-01-01T12:00:00"), Parameter.of("MODE", "exact"),
                        Parameter.of("note", "a \"quoted\" note\nwith a second line"),
                        Parameter.byReference("IMAGE", "https://data.example.org/files/m1.fits"),
                        Parameter.uploaded("MASK", new Parameter.Upload("mask.fits", "application/fits", 2880))))
                .phase(Phase.QUEUED, T0.plusSeconds(5), "client RUN")
                .phase(Phase.EXECUTING, T0.plusSeconds(7), "node-1")
                .startTime(T0.plusSeconds(7))
                .results(List.of(Result.stored("cutout", "application/fits", 1_048_576),
                        Result.stored("preview", "image/png", 20_000),
                        Result.stored("1", "text/plain", 12),
                        new Result("big", URI.create("https://cdn.example.org/x/cutout-big.fits"), "application/fits", -1),
                        Result.stored("stdout", "text/plain", 100)))
                .phase(Phase.COMPLETED, Instant.parse("2024-05-14T09:31:47.250Z"), null)
                .endTime(Instant.parse("2024-05-14T09:31:47.250Z"))
                .version(4)
                .build();
    }

    static Job failed() {
        return base("jerr01", "cutout", "bob@example.org")
                .parameters(List.of(Parameter.of("RA", "400"), Parameter.of("DEC", "-10"),
                        Parameter.byReference("IMAGE", "https://data.example.org/get?id=12")))
                .phase(Phase.QUEUED, T0.plusSeconds(5), "client RUN")
                .phase(Phase.EXECUTING, T0.plusSeconds(6), null)
                .startTime(T0.plusSeconds(6))
                .results(List.of(Result.stored("partial.log", "text/plain", 321)))
                .phase(Phase.ERROR, T0.plusSeconds(9), "logic failed")
                .endTime(T0.plusSeconds(9))
                .error(ErrorSummary.fatal("RA 400 is outside the image"))
                .build();
    }

    static Job aborted() {
        return base("jab01", "cutout", null)
                .parameters(List.of(Parameter.of("RA", "10"), Parameter.of("DEC", "20")))
                .phase(Phase.QUEUED, T0.plusSeconds(1), "client RUN")
                .phase(Phase.ABORTED, T0.plusSeconds(2), "client ABORT")
                .endTime(T0.plusSeconds(2))
                .build();
    }

    /** Job A of a chain: a cutout whose result {@code catalog} job B uses. */
    static Job chainA() {
        return base("jchaina", "cutout", "alice")
                .parameters(List.of(Parameter.of("RA", "1"), Parameter.of("DEC", "2"),
                        Parameter.byReference("IMAGE", "https://data.example.org/files/m2.fits")))
                .rawPhase(Phase.EXECUTING, T0.plusSeconds(1), null).startTime(T0.plusSeconds(1))
                .results(List.of(Result.stored("catalog", "application/x-votable+xml", 4000)))
                .phase(Phase.COMPLETED, T0.plusSeconds(30), null).endTime(T0.plusSeconds(30))
                .build();
    }

    /** Job B of a chain: uses A's result {@code catalog} and produces {@code stacked}, which C uses. */
    static Job chainB() {
        return base("jchainb", "stack", "alice")
                .parameters(List.of(Parameter.byReference("INPUT", LINKS.result("jchaina", "catalog")),
                        Parameter.byReference("INPUT", "https://data.example.org/files/extra.fits")))
                .rawPhase(Phase.EXECUTING, T0.plusSeconds(40), null).startTime(T0.plusSeconds(40))
                .results(List.of(Result.stored("stacked", "application/fits", 9000)))
                .phase(Phase.COMPLETED, T0.plusSeconds(60), null).endTime(T0.plusSeconds(60))
                .build();
    }

    /** Job C of a chain: uses B's result. */
    static Job chainC() {
        return base("jchainc", "stack", "alice")
                .parameters(List.of(Parameter.byReference("INPUT", LINKS.result("jchainb", "stacked"))))
                .rawPhase(Phase.EXECUTING, T0.plusSeconds(70), null).startTime(T0.plusSeconds(70))
                .results(List.of(Result.stored("final", "application/fits", 9000)))
                .phase(Phase.COMPLETED, T0.plusSeconds(80), null).endTime(T0.plusSeconds(80))
                .build();
    }

    /** A completed job with {@code n} results and one input. */
    static Job large(int n) {
        List<Result> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(Result.stored("tile-" + i + ".fits", "application/fits", 1000 + i));
        }
        return base("jlarge", "cutout", "alice")
                .parameters(List.of(Parameter.of("RA", "1"), Parameter.of("DEC", "2"),
                        Parameter.byReference("IMAGE", "https://data.example.org/files/big.fits")))
                .rawPhase(Phase.EXECUTING, T0.plusSeconds(1), null).startTime(T0.plusSeconds(1))
                .results(results)
                .phase(Phase.COMPLETED, T0.plusSeconds(3600), null).endTime(T0.plusSeconds(3600))
                .build();
    }
}
