package org.uwskit.prov;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;

/**
 * Runs the shared offline validators ({@code shared/prov/validate.sh}: W3C PROV-XML XSD, PROV-JSON schema, VOTable XSD,
 * python3-prov parsing, lost references, JSON==XML, round trips, PROV-N, SVG) on every format of a completed, a
 * failed and an aborted job written to {@code target/prov-out/}, and checks a job chain with python3-prov.
 */
class ProvValidatorsIT {
    private static final Path SHARED = Path.of(System.getProperty("uwskit.shared", "../../shared")).toAbsolutePath();
    private static final Path OUT = Path.of("target/prov-out").toAbsolutePath();
    /** check_prov.py's PROV-N check looks for the sample's job id (activity(job:j7f3a2); other ids fail only it. */
    private static final String SAMPLE_ID_CHECK = "PROV-N written";

    private final ProvenanceDocuments docs = ProvenanceDocuments.builder(DemoJobs.PROVENANCE).build();

    private Path writeAll(Job job) throws IOException {
        Path dir = OUT.resolve(job.jobId());
        Files.createDirectories(dir);
        ProvWriters w = ProvWriters.defaults();
        assertThat(w.canWriteSvg()).as("graphviz dot on the PATH").isTrue();
        ProvDocument d = docs.document(job, DemoJobs.JOB_LIST, DemoJobs.LINKS);
        for (ProvFormat f : ProvFormat.values()) {
            Files.write(dir.resolve("doc." + f.formatName()), w.toBytes(d, f));
        }
        return dir;
    }

    private static Run run(Path dir, String... cmd) throws Exception {
        Path log = dir.resolve(Path.of(cmd[0]).getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " ran over 120 s");
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    private record Run(int exit, String output) {
        List<String> failures() {
            List<String> out = new ArrayList<>();
            output.lines().filter(l -> l.startsWith("  FAIL")).forEach(out::add);
            return out;
        }
    }

    private void validate(Job job) throws Exception {
        Path dir = writeAll(job);
        Run r = run(dir, SHARED.resolve("prov/validate.sh").toString(), dir.resolve("doc.json").toString(),
                dir.resolve("doc.xml").toString(), dir.resolve("doc.votable").toString(), dir.resolve("check").toString());
        System.out.println(r.output());
        assertThat(r.output()).contains("doc.xml validates").contains("doc.votable validates")
                .contains("ok   doc.json valid against PROV-JSON JSON schema")
                .contains("ok   json: no reference silently dropped by the parser []")
                .contains("ok   json: every id reference resolved to a qualified name []")
                .contains("ok   xml: every id reference resolved to a qualified name []")
                .contains("ok   PROV-JSON and PROV-XML documents are equal")
                .contains("ok   json -> xml -> json gives an equal document")
                .contains("ok   SVG rendered by graphviz");
        if (job.jobId().equals("j7f3a2")) {
            assertThat(r.exit()).as(r.output()).isZero();
            assertThat(r.output()).contains("\n0 failed");
        } else {
            assertThat(r.failures()).as(r.output()).allMatch(l -> l.contains(SAMPLE_ID_CHECK));
        }
        Run n = run(dir, "/usr/bin/python3", Path.of("src/test/resources/check_provn.py").toAbsolutePath().toString(),
                dir.resolve("doc.provn").toString(), dir.resolve("doc.json").toString());
        assertThat(n.exit()).as(n.output()).isZero();
        String svg = Files.readString(dir.resolve("doc.svg"));
        assertThat(svg).startsWith("<?xml").contains("<svg");
    }

    @Test
    void completedJob() throws Exception {
        validate(DemoJobs.completed());
    }

    @Test
    void failedJob() throws Exception {
        validate(DemoJobs.failed());
    }

    @Test
    void abortedJob() throws Exception {
        validate(DemoJobs.aborted());
    }

    @Test
    void chainedDocumentsLinkThroughTheSameEntity() throws Exception {
        Path a = writeAll(DemoJobs.chainA());
        Path b = writeAll(DemoJobs.chainB());
        String script = """
                import sys
                from prov.model import ProvDocument, ProvGeneration, ProvUsage
                a = ProvDocument.deserialize(source=sys.argv[1], format='json')
                b = ProvDocument.deserialize(source=sys.argv[2], format='xml')
                gen = {str(r.formal_attributes[0][1].uri) for r in a.get_records(ProvGeneration)}
                used = {str(r.formal_attributes[1][1].uri) for r in b.get_records(ProvUsage)}
                shared = gen & used
                print('generated by A:', sorted(gen)); print('used by B:', sorted(used)); print('shared:', sorted(shared))
                sys.exit(0 if shared == {'https://uws.example.org/cutout/jobs/jchaina/results/catalog'} else 1)
                """;
        Path py = OUT.resolve("chain.py");
        Files.writeString(py, script, StandardCharsets.UTF_8);
        Run r = run(OUT, "/usr/bin/python3", py.toString(), a.resolve("doc.json").toString(), b.resolve("doc.xml").toString());
        System.out.println(r.output());
        assertThat(r.exit()).as(r.output()).isZero();
    }
}
