package org.uwskit.prov.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Renders DOT to SVG with Graphviz's {@code dot}, in a child process bounded by a timeout (the process is killed when
 * it runs over). Output goes to a temporary file, so no thread is needed to drain the pipes. Thread-safe.
 */
public final class SvgRenderer {
    private final Path dot;
    private final Duration timeout;

    public SvgRenderer(Path dot, Duration timeout) {
        this.dot = dot;
        this.timeout = timeout;
    }

    /** The first executable {@code dot} on the PATH, or null. */
    public static Path findDot() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "dot");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    public void render(byte[] dotSource, OutputStream out) throws IOException {
        Path svg = Files.createTempFile("uwskit-prov-", ".svg");
        Path err = Files.createTempFile("uwskit-prov-", ".err");
        Process p = null;
        try {
            p = new ProcessBuilder(dot.toString(), "-Tsvg")
                    .redirectOutput(svg.toFile())
                    .redirectError(err.toFile())
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(dotSource);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("graphviz dot did not finish within " + timeout.toMillis() + " ms");
            }
            if (p.exitValue() != 0) {
                String msg = Files.readString(err).strip();
                throw new IOException("graphviz dot failed (exit " + p.exitValue() + "): "
                        + (msg.length() > 500 ? msg.substring(0, 500) : msg));
            }
            Files.copy(svg, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while graphviz dot ran", e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(svg);
            Files.deleteIfExists(err);
        }
    }

    /** Convenience for tests: renders to a byte array. */
    public byte[] render(byte[] dotSource) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        render(dotSource, out);
        return out.toByteArray();
    }
}
