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
 * Runs the project's offline validators ({@code scripts/check-prov.sh}: W3C PROV-XML XSD, VOTable XSD, PROV-JSON
 * schema, python3-prov parsing, lost references, time zones, JSON==XML, round trips, PROV-N, SVG; the schemas are in
 * {@code scripts/schemas/}) on every format of a completed, a failed and an aborted job written to
 * {@code target/prov-out/}, and checks a job chain with python3-prov.
 */
class ProvValidatorsIT {
    /** The repository's scripts/, from this module's directory (the tests' working directory). */
    static final Path SCRIPTS = Path.of("../scripts").toAbsolutePath().normalize();
    private static final Path OUT = Path.of("target/prov-out").toAbsolutePath();

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

    static Run run(Path dir, String... cmd) throws Exception {
        Path log = dir.resolve(Path.of(cmd[0]).getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " ran over 120 s");
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    record Run(int exit, String output) {
        List<String> failures() {
            List<String> out = new ArrayList<>();
            output.lines().filter(l -> l.startsWith("FAIL")).forEach(out::add);
            return out;
        }
    }

    private void validate(Job job) throws Exception {
        Path dir = writeAll(job);
        Run r = run(dir, SCRIPTS.resolve("check-prov.sh").toString(), dir.resolve("doc.json").toString(),
                dir.resolve("doc.xml").toString(), dir.resolve("doc.votable").toString(), dir.resolve("check").toString());
        System.out.println(r.output());
        assertThat(r.failures()).as(r.output()).isEmpty();
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("ok   xml: valid against prov.xsd").contains("ok   votable: valid against VOTable.xsd")
                .contains("ok   json: valid against the PROV-JSON schema")
                .contains("ok   json: every reference and time written is kept by the parser")
                .contains("ok   xml: every reference and time written is kept by the parser")
                .contains("ok   json: every time carries a time zone")
                .contains("ok   json and xml describe the same document")
                .contains("ok   json -> xml -> json gives an equal document")
                .contains("ok   xml -> json -> xml gives an equal document")
                .contains("ok   PROV-N written by python3-prov names every activity")
                .contains("ok   SVG drawn by python3-prov through graphviz")
                .contains(", 0 failed");
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
