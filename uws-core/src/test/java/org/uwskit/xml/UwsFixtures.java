package org.uwskit.xml;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.spi.JobLinks;

/** Jobs in every phase and shape, shared by the XML and JSON serializer tests. */
public final class UwsFixtures {
    public static final JobLinks LINKS = JobLinks.under("http://127.0.0.1:8080/uws/demo/");
    public static final Instant T0 = Instant.parse("2026-11-21T09:30:00.123456789Z");
    /** Every special character class that must survive or be neutralised: markup, quotes, non-ASCII, astral, CR. */
    public static final String TRICKY = "a<b & c>d \"dq\" 'sq' ]]> &amp; é ü 日本 \uD83D\uDE00 tab\tcr\rlf\n!";
    /** Characters XML 1.0 cannot carry at all. */
    public static final String CONTROL = "bell\u0007nul\u0000esc\u001Bfffe\uFFFEend";

    private UwsFixtures() {
    }

    /** A named job. */
    public record Case(String name, Job job) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Job.Builder base(String id, Phase phase) {
        return Job.builder(id, "demo", "sleep", T0).rawPhase(phase).executionDuration(600);
    }

    public static List<Case> all() {
        List<Case> out = new ArrayList<>();
        out.add(new Case("pending-nils", Job.builder("p0", "demo", "sleep", T0).build()));
        out.add(new Case("pending-full", base("p1", Phase.PENDING)
                .runId("run-" + TRICKY)
                .ownerId("CN=Alice Ünïcode, O=\"<Org>\"")
                .quote(T0.plusSeconds(3600))
                .destruction(T0.plus(Duration.ofDays(7)))
                .parameters(List.of(
                        Parameter.of("QUERY", "SELECT * FROM t WHERE x < 3 AND y > 'a' & \"b\""),
                        Parameter.of("band", "g"),
                        Parameter.of("band", "r"),
                        Parameter.of("BAND", "i"),
                        Parameter.of("tricky", TRICKY),
                        Parameter.of("control", CONTROL),
                        Parameter.of("empty", ""),
                        Parameter.of("id<&>\"'", "odd name"),
                        Parameter.byReference("catalog", "https://example.org/cat?a=1&b=2"),
                        Parameter.uploaded("t1", new Parameter.Upload("table.fits", "application/fits", 2880))))
                .putJobInfo("progress", "0%")
                .putJobInfo("note", TRICKY)
                .build()));
        out.add(new Case("queued", base("q1", Phase.QUEUED).ownerId("bob").quote(T0.plusSeconds(60))
                .parameters(List.of(Parameter.of("n", "1"))).build()));
        out.add(new Case("executing", base("e1", Phase.EXECUTING).runId("r1").ownerId("bob")
                .startTime(T0.plusMillis(1500))
                .results(List.of(Result.stored("partial", "text/plain", 10)))
                .putJobInfo("progress", "42")
                .putJobInfo("slurmJobId", "123456")
                .build()));
        out.add(new Case("completed", base("c1", Phase.COMPLETED).runId("r2").ownerId("carol")
                .quote(T0.plusSeconds(120)).startTime(T0.plusSeconds(1)).endTime(T0.plusSeconds(100))
                .destruction(T0.plus(Duration.ofDays(30)))
                .parameters(List.of(Parameter.of("QUERY", "SELECT 1")))
                .results(List.of(
                        Result.stored("result", "application/x-votable+xml", 123_456_789_012L),
                        Result.stored("log", null, -1),
                        Result.stored("empty", "text/plain", 0),
                        new Result("mirror", URI.create("https://cdn.example.org/x/y.fits?sig=a&b=c"),
                                "application/fits", 2880),
                        new Result("external", URI.create("ftp://archive.example.org/pub/z.dat"), null, -1)))
                .build()));
        out.add(new Case("error-with-detail", base("x1", Phase.ERROR).ownerId("dave")
                .startTime(T0.plusSeconds(1)).endTime(T0.plusSeconds(2))
                .error(new ErrorSummary(ErrorSummary.Type.TRANSIENT, "node lost: " + TRICKY + CONTROL,
                        "java.io.IOException: …\n\tat x.y(Z.java:1)"))
                .build()));
        out.add(new Case("error-without-detail", base("x2", Phase.ERROR)
                .startTime(T0.plusSeconds(1)).endTime(T0.plusSeconds(2))
                .error(ErrorSummary.fatal("parameter RA out of range"))
                .build()));
        out.add(new Case("aborted", base("a1", Phase.ABORTED).ownerId("erin")
                .startTime(T0.plusSeconds(1)).endTime(T0.plusSeconds(601))
                .results(List.of(Result.stored("partial", "text/csv", 77)))
                .putJobInfo("reason", "executionDuration exceeded")
                .build()));
        out.add(new Case("archived", base("ar1", Phase.ARCHIVED).ownerId("frank")
                .startTime(T0.plusSeconds(1)).endTime(T0.plusSeconds(2)).destruction(T0.plusSeconds(3))
                .parameters(List.of(Parameter.of("QUERY", "SELECT 2")))
                .build()));
        out.add(new Case("held", base("h1", Phase.HELD).quote(T0.plus(Duration.ofDays(2))).build()));
        out.add(new Case("suspended", base("s1", Phase.SUSPENDED).startTime(T0.plusSeconds(5))
                .putJobInfo("cluster state", "PREEMPTED").build()));
        out.add(new Case("unknown", base("u1", Phase.UNKNOWN).executionDuration(0).build()));
        out.add(new Case("huge-duration", base("d1", Phase.PENDING).executionDuration(10_000_000_000L).build()));
        out.add(new Case("control-everywhere", base("cc1", Phase.ERROR).runId(CONTROL).ownerId(CONTROL)
                .parameters(List.of(Parameter.of(CONTROL, CONTROL)))
                .results(List.of(Result.stored("r", "text/plain" + CONTROL, 1)))
                .error(ErrorSummary.fatal(CONTROL))
                .putJobInfo("c", CONTROL)
                .build()));
        return out;
    }

    /** The case with this name. */
    public static Job job(String name) {
        return all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().job();
    }
}
