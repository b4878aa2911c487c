package org.uwskit.prov.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
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
 * Writes PROV-JSON (W3C member submission, the form python-prov and ProvToolbox read). Anonymous relations get
 * {@code _:nN} keys, unique in the document and never referred to. Thread-safe (no state).
 */
public final class ProvJsonWriter {
    private final JsonFactory factory = new JsonFactory();
    private final boolean pretty;

    public ProvJsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    public void write(ProvDocument doc, OutputStream out) throws IOException {
        Naming naming = Naming.of(doc);
        try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            int[] anon = {0};
            g.writeStartObject();
            writeContainer(g, naming, naming.prefixesOf(0), doc.records(), anon);
            if (!doc.bundles().isEmpty()) {
                g.writeObjectFieldStart("bundle");
                int i = 1;
                for (ProvBundle b : doc.bundles()) {
                    g.writeObjectFieldStart(naming.qn(b.id()));
                    writeContainer(g, naming, naming.prefixesOf(i++), b.records(), anon);
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
    }

    private void writeContainer(JsonGenerator g, Naming n, Map<String, String> prefixes, List<ProvRecord> records,
                                int[] anon) throws IOException {
        g.writeObjectFieldStart("prefix");
        for (Map.Entry<String, String> e : prefixes.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        for (Map.Entry<String, List<ProvRecord>> section : Sections.bySection(records).entrySet()) {
            g.writeObjectFieldStart(section.getKey());
            for (ProvRecord r : section.getValue()) {
                g.writeObjectFieldStart(r.id() != null ? n.qn(r.id()) : "_:n" + (++anon[0]));
                if (r instanceof ProvElement e) {
                    if (e.startTime() != null) {
                        g.writeStringField("prov:startTime", Instants.format(e.startTime()));
                    }
                    if (e.endTime() != null) {
                        g.writeStringField("prov:endTime", Instants.format(e.endTime()));
                    }
                } else {
                    ProvRelation rel = (ProvRelation) r;
                    for (int i = 0; i < rel.arguments().size(); i++) {
                        String a = rel.arguments().get(i);
                        if (a != null) {
                            g.writeStringField("prov:" + rel.kind().arguments().get(i), n.qn(a));
                        }
                    }
                    if (rel.time() != null) {
                        g.writeStringField("prov:time", Instants.format(rel.time()));
                    }
                }
                for (Map.Entry<String, List<ProvAttribute>> a : Sections.byName(r.attributes()).entrySet()) {
                    g.writeFieldName(n.qn(a.getKey()));
                    if (a.getValue().size() == 1) {
                        writeValue(g, n, a.getValue().get(0).value());
                    } else {
                        g.writeStartArray();
                        for (ProvAttribute v : a.getValue()) {
                            writeValue(g, n, v.value());
                        }
                        g.writeEndArray();
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
    }

    private static void writeValue(JsonGenerator g, Naming n, ProvValue v) throws IOException {
        if (v.isString() && v.lang() == null) {
            g.writeString(v.lexical());
            return;
        }
        g.writeStartObject();
        if (v.isQualifiedName()) {
            g.writeStringField("$", n.qn(v.lexical()));
            g.writeStringField("type", "prov:QUALIFIED_NAME");
        } else if (v.lang() != null) {
            g.writeStringField("$", v.lexical());
            g.writeStringField("lang", v.lang());
        } else {
            g.writeStringField("$", v.lexical());
            g.writeStringField("type", n.datatype(v.datatype()));
        }
        g.writeEndObject();
    }
}
