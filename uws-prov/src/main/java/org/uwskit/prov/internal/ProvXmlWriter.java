package org.uwskit.prov.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.uwskit.Instants;
import org.uwskit.prov.ProvAttribute;
import org.uwskit.prov.ProvBundle;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvRecord;
import org.uwskit.prov.ProvRelation;
import org.uwskit.prov.ProvTerms;
import org.uwskit.prov.ProvValue;

/**
 * Writes PROV-XML valid against the W3C schema: every namespace is declared on {@code prov:document}, attributes
 * come in the schema's order, typed values carry {@code xsi:type}. Thread-safe (no state).
 */
public final class ProvXmlWriter {
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    /** XML Schema's namespace as XML writes it (without the {@code #} PROV-JSON and PROV-N use). */
    static final String XSD_XML = "http://www.w3.org/2001/XMLSchema";
    private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";
    private final XMLOutputFactory factory = XMLOutputFactory.newFactory();
    private final boolean indent;

    public ProvXmlWriter(boolean indent) {
        this.indent = indent;
    }

    public void write(ProvDocument doc, OutputStream out) throws IOException {
        Naming n = Naming.of(doc);
        try {
            XMLStreamWriter w = factory.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            nl(w, 0);
            w.writeStartElement("prov", "document", ProvTerms.PROV);
            w.writeNamespace("prov", ProvTerms.PROV);
            w.writeNamespace("xsi", XSI);
            w.writeNamespace("xsd", XSD_XML);
            for (Map.Entry<String, String> e : n.allPrefixes().entrySet()) {
                if (!e.getKey().equals("prov") && !e.getKey().equals("xsd")) {
                    w.writeNamespace(e.getKey(), e.getValue());
                }
            }
            writeRecords(w, n, doc.records(), 1);
            for (ProvBundle b : doc.bundles()) {
                nl(w, 1);
                w.writeStartElement("prov", "bundleContent", ProvTerms.PROV);
                w.writeAttribute("prov", ProvTerms.PROV, "id", n.qn(b.id()));
                writeRecords(w, n, b.records(), 2);
                nl(w, 1);
                w.writeEndElement();
            }
            nl(w, 0);
            w.writeEndElement();
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write PROV-XML: " + e.getMessage(), e);
        }
    }

    private void writeRecords(XMLStreamWriter w, Naming n, List<ProvRecord> records, int depth)
            throws XMLStreamException {
        for (ProvRecord r : records) {
            nl(w, depth);
            w.writeStartElement("prov", Sections.provName(r), ProvTerms.PROV);
            if (r.id() != null) {
                w.writeAttribute("prov", ProvTerms.PROV, "id", n.qn(r.id()));
            }
            if (r instanceof ProvElement e) {
                if (e.startTime() != null) {
                    simple(w, depth + 1, "startTime", Instants.format(e.startTime()));
                }
                if (e.endTime() != null) {
                    simple(w, depth + 1, "endTime", Instants.format(e.endTime()));
                }
            } else {
                ProvRelation rel = (ProvRelation) r;
                for (int i = 0; i < rel.arguments().size(); i++) {
                    String a = rel.arguments().get(i);
                    if (a != null) {
                        nl(w, depth + 1);
                        w.writeEmptyElement("prov", rel.kind().arguments().get(i), ProvTerms.PROV);
                        w.writeAttribute("prov", ProvTerms.PROV, "ref", n.qn(a));
                    }
                }
                if (rel.time() != null) {
                    simple(w, depth + 1, "time", Instants.format(rel.time()));
                }
            }
            for (ProvAttribute a : Sections.schemaOrder(r.attributes())) {
                nl(w, depth + 1);
                String q = n.qn(a.name());
                int colon = q.indexOf(':');
                String prefix = q.substring(0, colon);
                w.writeStartElement(prefix, q.substring(colon + 1), n.allPrefixes().get(prefix));
                ProvValue v = a.value();
                if (v.isQualifiedName()) {
                    w.writeAttribute("xsi", XSI, "type", "xsd:QName");
                    w.writeCharacters(n.qn(v.lexical()));
                } else {
                    if (v.lang() != null) {
                        w.writeAttribute("xml", XML_NS, "lang", v.lang());
                    } else if (!v.isString()) {
                        w.writeAttribute("xsi", XSI, "type", n.datatype(v.datatype()));
                    }
                    w.writeCharacters(v.lexical());
                }
                w.writeEndElement();
            }
            nl(w, depth);
            w.writeEndElement();
        }
    }

    private void simple(XMLStreamWriter w, int depth, String name, String text) throws XMLStreamException {
        nl(w, depth);
        w.writeStartElement("prov", name, ProvTerms.PROV);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    private void nl(XMLStreamWriter w, int depth) throws XMLStreamException {
        if (indent) {
            w.writeCharacters("\n" + "  ".repeat(depth));
        }
    }
}
