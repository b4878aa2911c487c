package org.uwskit.prov.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uwskit.prov.ElementKind;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvRecord;
import org.uwskit.prov.ProvRelation;
import org.uwskit.prov.ProvTerms;

/**
 * Writes a Graphviz DOT graph of a document's main records (the usual PROV colours and shapes). Past
 * {@code maxNodes} elements the graph is summarised: activities and agents first, then entities in document order
 * up to the cap, and one node per kind saying how many were left out. Thread-safe (no state).
 */
public final class DotWriter {
    private final int maxNodes;

    public DotWriter(int maxNodes) {
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be >= 1");
        }
        this.maxNodes = maxNodes;
    }

    public void write(ProvDocument doc, OutputStream out) throws IOException {
        Map<ElementKind, List<ProvElement>> byKind = new EnumMap<>(ElementKind.class);
        for (ElementKind k : ElementKind.values()) {
            byKind.put(k, new ArrayList<>());
        }
        for (ProvRecord r : doc.records()) {
            if (r instanceof ProvElement e) {
                byKind.get(e.kind()).add(e);
            }
        }
        Map<String, String> nodeIds = new LinkedHashMap<>();
        Map<ElementKind, Integer> omitted = new EnumMap<>(ElementKind.class);
        StringBuilder sb = new StringBuilder(1 << 14);
        sb.append("digraph provenance {\n  rankdir=BT;\n  node [fontname=\"Helvetica\", fontsize=10];\n")
                .append("  edge [fontname=\"Helvetica\", fontsize=8];\n");
        for (ElementKind k : List.of(ElementKind.ACTIVITY, ElementKind.AGENT, ElementKind.ENTITY)) {
            for (ProvElement e : byKind.get(k)) {
                if (nodeIds.size() >= maxNodes) {
                    omitted.merge(k, 1, Integer::sum);
                    continue;
                }
                String n = "n" + nodeIds.size();
                nodeIds.put(e.id(), n);
                sb.append("  ").append(n).append(" [label=\"").append(esc(label(e))).append("\", ")
                        .append(style(e)).append(", URL=\"").append(esc(e.id())).append("\"];\n");
            }
        }
        for (ProvRecord r : doc.records()) {
            if (!(r instanceof ProvRelation rel)) {
                continue;
            }
            String from = nodeIds.get(rel.arguments().get(0));
            String to = rel.arguments().get(1) == null ? null : nodeIds.get(rel.arguments().get(1));
            if (from == null || to == null) {
                continue;
            }
            String role = rel.first(ProvTerms.PROV_ROLE);
            sb.append("  ").append(from).append(" -> ").append(to).append(" [label=\"")
                    .append(esc(rel.kind().provName() + (role == null ? "" : "\n" + role))).append("\"];\n");
        }
        String anchor = nodeIds.isEmpty() ? null : nodeIds.values().iterator().next();
        int i = 0;
        for (Map.Entry<ElementKind, Integer> e : omitted.entrySet()) {
            String n = "more" + (i++);
            String kind = e.getValue() == 1 ? e.getKey().provName()
                    : e.getKey() == ElementKind.AGENT ? "agents"
                    : e.getKey() == ElementKind.ACTIVITY ? "activities" : "entities";
            sb.append("  ").append(n).append(" [label=\"").append(e.getValue()).append(" more ").append(kind)
                    .append(" not drawn\", shape=note, style=dashed];\n");
            if (anchor != null) {
                sb.append("  ").append(n).append(" -> ").append(anchor).append(" [style=dashed, arrowhead=none];\n");
            }
        }
        sb.append("}\n");
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(sb.toString());
        w.flush();
    }

    /** Whether the graph of {@code doc} would be summarised. */
    public boolean isSummarised(ProvDocument doc) {
        return doc.records().stream().filter(r -> r instanceof ProvElement).count() > maxNodes;
    }

    private static String label(ProvElement e) {
        String l = e.first(ProvTerms.PROV_LABEL);
        if (l != null) {
            return l;
        }
        int cut = Math.max(e.id().lastIndexOf('/'), e.id().lastIndexOf('#'));
        return e.id().substring(cut + 1);
    }

    private static String style(ProvElement e) {
        return switch (e.kind()) {
            case ACTIVITY -> "shape=box, style=filled, fillcolor=\"#9FB1FC\", color=\"#0000FF\"";
            case AGENT -> "shape=house, style=filled, fillcolor=\"#FED37F\"";
            case ENTITY -> e.hasType(ProvTerms.voprov("Parameter"))
                    ? "shape=note, style=filled, fillcolor=\"#E8E8E8\""
                    : "shape=ellipse, style=filled, fillcolor=\"#FFFC87\", color=\"#808080\"";
        };
    }

    private static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> { }
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
