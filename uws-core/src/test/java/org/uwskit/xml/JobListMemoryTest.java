package org.uwskit.xml;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.json.UwsJson;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobSerializer;

/**
 * Writes {@value #REFS} job refs from a lazy iterator in a child JVM limited to a 16 MB heap, with both
 * serializers. Collecting the refs (about 40 MB) or buffering the document (50 MB of XML) would run out of memory.
 */
class JobListMemoryTest {
    static final int REFS = 200_000;

    /** The child process: writes the list to a counting sink and prints the byte counts. */
    public static void main(String[] args) throws IOException {
        JobLinks links = JobLinks.under("http://127.0.0.1:8080/uws/demo");
        StringBuilder report = new StringBuilder();
        for (JobSerializer s : List.of(UwsXml.create(), UwsJson.create())) {
            long[] n = {0};
            OutputStream sink = new OutputStream() {
                @Override
                public void write(int b) {
                    n[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    n[0] += len;
                }
            };
            s.writeJobList(lazy(Integer.parseInt(args[0])), links, sink);
            report.append(s.mediaType()).append('=').append(n[0]).append(' ');
        }
        System.out.println(report.toString().trim());
    }

    static Iterator<JobRef> lazy(int count) {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < count;
            }

            @Override
            public JobRef next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int k = i++;
                return new JobRef("job-" + k + "-abcdefghijklmnop", Phase.values()[k % 10], "run-" + k,
                        k % 2 == 0 ? "CN=owner number " + k : null, Instant.ofEpochSecond(1_700_000_000L + k));
            }
        };
    }

    @Test
    void aLargeJobListIsWrittenInASmallHeap(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(java, "-Xmx16m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), JobListMemoryTest.class.getName(),
                Integer.toString(REFS))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("child finished within 120 s; output: " + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String[] parts = out.trim().split(" ");
        assertThat(parts).hasSize(2);
        // well over the 16 MB heap each
        assertThat(Long.parseLong(parts[0].substring("application/xml=".length()))).isGreaterThan(40_000_000L);
        assertThat(Long.parseLong(parts[1].substring("application/json=".length()))).isGreaterThan(30_000_000L);
    }
}
