package org.uwskit.prov.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.uwskit.Instants;
import org.uwskit.prov.ProvAttribute;
import org.uwskit.prov.ProvBundle;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvRecord;
import org.uwskit.prov.ProvRelation;
import org.uwskit.prov.ProvValue;

/**
 * Writes PROV-N (W3C REC). Every optional argument position is written ({@code -} when absent), which the grammar
 * allows for every expression. Thread-safe (no state).
 */
public final class ProvNWriter {

    public void write(ProvDocument doc, OutputStream out) throws IOException {
        Naming n = Naming.of(doc);
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write("document\n");
        prefixes(w, n.prefixesOf(0), "  ");
        records(w, n, doc.records(), "  ");
        int i = 1;
        for (ProvBundle b : doc.bundles()) {
            w.write("  bundle " + qn(n, b.id()) + "\n");
            prefixes(w, n.prefixesOf(i++), "    ");
            records(w, n, b.records(), "    ");
            w.write("  endBundle\n");
        }
        w.write("endDocument\n");
        w.flush();
    }

    private static void prefixes(Writer w, Map<String, String> prefixes, String indent) throws IOException {
        for (Map.Entry<String, String> e : prefixes.entrySet()) {
            w.write(indent + "prefix " + e.getKey() + " <" + e.getValue() + ">\n");
        }
        w.write("\n");
    }

    private static void records(Writer w, Naming n, List<ProvRecord> records, String indent) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        for (ProvRecord r : records) {
            sb.setLength(0);
            sb.append(indent).append(Sections.provName(r)).append('(');
            if (r instanceof ProvElement e) {
                sb.append(qn(n, e.id()));
                if (e.startTime() != null || e.endTime() != null) {
                    sb.append(", ").append(time(e.startTime())).append(", ").append(time(e.endTime()));
                }
            } else {
                ProvRelation rel = (ProvRelation) r;
                if (rel.id() != null) {
                    sb.append(qn(n, rel.id())).append("; ");
                }
                for (int i = 0; i < rel.arguments().size(); i++) {
                    String a = rel.arguments().get(i);
                    sb.append(i == 0 ? "" : ", ").append(a == null ? "-" : qn(n, a));
                }
                if (rel.kind().timed()) {
                    sb.append(", ").append(time(rel.time()));
                }
            }
            if (!r.attributes().isEmpty()) {
                sb.append(", [");
                boolean first = true;
                for (ProvAttribute a : r.attributes()) {
                    sb.append(first ? "" : ", ").append(qn(n, a.name())).append('=');
                    value(sb, n, a.value());
                    first = false;
                }
                sb.append(']');
            }
            sb.append(")\n");
            w.write(sb.toString());
        }
    }

    private static String time(Instant t) {
        return t == null ? "-" : Instants.format(t);
    }

    private static void value(StringBuilder sb, Naming n, ProvValue v) {
        if (v.isQualifiedName()) {
            sb.append('\'').append(qn(n, v.lexical())).append('\'');
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.lexical().length(); i++) {
            char c = v.lexical().charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        sb.append('"');
        if (v.lang() != null) {
            sb.append('@').append(v.lang());
        } else if (!v.isString()) {
            sb.append(" %% ").append(n.datatype(v.datatype()));
        }
    }

    /** A qualified name; a trailing dot, legal in an NCName but not in a PROV-N local name, is escaped. */
    private static String qn(Naming n, String uri) {
        String q = n.qn(uri);
        return q.endsWith(".") ? q.substring(0, q.length() - 1) + "\\." : q;
    }
}
