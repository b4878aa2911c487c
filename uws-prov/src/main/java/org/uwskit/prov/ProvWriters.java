package org.uwskit.prov;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.uwskit.prov.internal.DotWriter;
import org.uwskit.prov.internal.ProvJsonWriter;
import org.uwskit.prov.internal.ProvNWriter;
import org.uwskit.prov.internal.ProvXmlWriter;
import org.uwskit.prov.internal.SvgRenderer;
import org.uwskit.prov.internal.VotableWriter;

/**
 * Writes {@link ProvDocument}s in every {@link ProvFormat}. PROV-JSON, PROV-XML and PROV-N are written in one pass
 * after the prefixes are chosen (10,000 results take well under a second); the graph formats are summarised past
 * {@link Builder#maxGraphNodes} elements, because Graphviz's layout time grows fast; SVG runs {@code dot} in a child
 * process bounded by {@link Builder#dotTimeout}. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ProvWriters {
    /** Elements drawn at most in DOT and SVG. */
    public static final int DEFAULT_MAX_GRAPH_NODES = 300;
    /** How long {@code dot} may run. */
    public static final Duration DEFAULT_DOT_TIMEOUT = Duration.ofSeconds(20);

    private final ProvJsonWriter json;
    private final ProvXmlWriter xml;
    private final ProvNWriter provn = new ProvNWriter();
    private final DotWriter dot;
    private final VotableWriter votable = new VotableWriter();
    private final SvgRenderer svg;

    private ProvWriters(Builder b) {
        json = new ProvJsonWriter(b.pretty);
        xml = new ProvXmlWriter(b.pretty);
        dot = new DotWriter(b.maxGraphNodes);
        svg = b.dotExecutable == null ? null : new SvgRenderer(b.dotExecutable, b.dotTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Writers with the defaults ({@code dot} looked up on the PATH). */
    public static ProvWriters defaults() {
        return builder().build();
    }

    /** Whether SVG can be written (a {@code dot} executable was found or given). */
    public boolean canWriteSvg() {
        return svg != null;
    }

    /**
     * Writes {@code doc} in {@code format}. Does not close {@code out}.
     *
     * @throws UnsupportedOperationException for SVG when no {@code dot} executable is known
     * @throws IOException                   if writing fails, or {@code dot} fails or runs over its timeout
     */
    public void write(ProvDocument doc, ProvFormat format, OutputStream out) throws IOException {
        Objects.requireNonNull(doc, "doc");
        switch (format) {
            case JSON -> json.write(doc, out);
            case XML -> xml.write(doc, out);
            case PROVN -> provn.write(doc, out);
            case DOT -> dot.write(doc, out);
            case VOTABLE -> votable.write(doc, out);
            case SVG -> {
                if (svg == null) {
                    throw new UnsupportedOperationException("SVG needs Graphviz's dot, which was not found on the PATH");
                }
                ByteArrayOutputStream d = new ByteArrayOutputStream();
                dot.write(doc, d);
                svg.render(d.toByteArray(), out);
            }
        }
    }

    /** {@code doc} in {@code format}, as bytes. */
    public byte[] toBytes(ProvDocument doc, ProvFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(doc, format, out);
        return out.toByteArray();
    }

    /** Whether the DOT/SVG graph of {@code doc} leaves elements out. */
    public boolean graphIsSummarised(ProvDocument doc) {
        return dot.isSummarised(doc);
    }

    /** Configures {@link ProvWriters}. */
    public static final class Builder {
        private boolean pretty = true;
        private int maxGraphNodes = DEFAULT_MAX_GRAPH_NODES;
        private Duration dotTimeout = DEFAULT_DOT_TIMEOUT;
        private Path dotExecutable = SvgRenderer.findDot();

        private Builder() {
        }

        /** Indent JSON and XML; default true. */
        public Builder pretty(boolean v) { pretty = v; return this; }
        /** Elements drawn at most; default {@value #DEFAULT_MAX_GRAPH_NODES}. */
        public Builder maxGraphNodes(int v) { maxGraphNodes = v; return this; }
        /** How long {@code dot} may run; default {@link #DEFAULT_DOT_TIMEOUT}. */
        public Builder dotTimeout(Duration v) { dotTimeout = Objects.requireNonNull(v); return this; }
        /** The {@code dot} executable, or null for no SVG; default the first {@code dot} on the PATH. */
        public Builder dotExecutable(Path v) { dotExecutable = v; return this; }

        /** @throws IllegalArgumentException for a bad setting */
        public ProvWriters build() {
            if (maxGraphNodes < 1) {
                throw new IllegalArgumentException("maxGraphNodes must be >= 1");
            }
            if (dotTimeout.isNegative() || dotTimeout.isZero()) {
                throw new IllegalArgumentException("dotTimeout must be positive");
            }
            if (dotExecutable != null && !Files.isExecutable(dotExecutable)) {
                throw new IllegalArgumentException("dot executable " + dotExecutable + " is not executable");
            }
            return new ProvWriters(this);
        }
    }
}
