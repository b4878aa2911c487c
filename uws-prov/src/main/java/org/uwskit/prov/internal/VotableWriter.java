package org.uwskit.prov.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.uwskit.Instants;
import org.uwskit.prov.ElementKind;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvRecord;
import org.uwskit.prov.ProvRelation;
import org.uwskit.prov.ProvTerms;
import org.uwskit.prov.RelationKind;

/**
 * Writes the IVOA VOTable form: one TABLE per ProvDM class, FIELD utypes naming ProvDM (model {@code voprov}),
 * identifiers as full URIs (non-normative: the ProvDM REC defines no VOTable serialisation). Thread-safe.
 */
public final class VotableWriter {
    static final String VOTABLE = "http://www.ivoa.net/xml/VOTable/v1.3";
    private static final String PARAMETER = ProvTerms.voprov("Parameter");
    private final XMLOutputFactory factory = XMLOutputFactory.newFactory();

    public void write(ProvDocument doc, OutputStream out) throws IOException {
        Map<String, String> plans = new HashMap<>();
        Map<String, String> generatedAt = new HashMap<>();
        Map<String, String> paramDescriptions = new HashMap<>();
        Map<String, ProvElement> entities = new HashMap<>();
        for (ProvRecord r : doc.records()) {
            if (r instanceof ProvElement e && e.kind() == ElementKind.ENTITY) {
                entities.put(e.id(), e);
            } else if (r instanceof ProvRelation rel) {
                switch (rel.kind()) {
                    case WAS_ASSOCIATED_WITH -> {
                        if (rel.argument("plan") != null) {
                            plans.putIfAbsent(rel.argument("activity"), rel.argument("plan"));
                        }
                    }
                    case WAS_GENERATED_BY -> {
                        if (rel.time() != null) {
                            generatedAt.putIfAbsent(rel.argument("entity"), Instants.format(rel.time()));
                        }
                    }
                    case WAS_INFLUENCED_BY -> {
                        if (rel.hasType(ProvTerms.voprov("DescriptionRelation"))) {
                            paramDescriptions.putIfAbsent(rel.argument("influencee"), rel.argument("influencer"));
                        }
                    }
                    default -> { }
                }
            }
        }
        try {
            XMLStreamWriter w = factory.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("VOTABLE");
            w.writeDefaultNamespace(VOTABLE);
            w.writeAttribute("version", "1.4");
            w.writeCharacters("\n");
            w.writeStartElement("RESOURCE");
            w.writeAttribute("type", "results");
            w.writeAttribute("name", "provenance");
            w.writeAttribute("utype", "voprov:Provenance");
            w.writeCharacters("\n");
            w.writeEmptyElement("INFO");
            w.writeAttribute("name", "QUERY_STATUS");
            w.writeAttribute("value", "OK");
            w.writeCharacters("\n");

            List<String[]> rows = new ArrayList<>();
            for (ProvElement a : doc.elements(ElementKind.ACTIVITY)) {
                rows.add(new String[] {a.id(), a.first(ProvTerms.voprov("name")), time(a.startTime()), time(a.endTime()),
                        a.first(ProvTerms.voprov("comment")), plans.get(a.id())});
            }
            table(w, "activity", "voprov:Activity", rows,
                    f("id", "meta.id", "voprov:Activity.id", false), f("name", "meta.title", "voprov:Activity.name", false),
                    f("startTime", "time.start", "voprov:Activity.startTime", true),
                    f("endTime", "time.end", "voprov:Activity.endTime", true),
                    f("comment", "meta.note", "voprov:Activity.comment", false),
                    f("activityDescription", "meta.id;meta.ref", "voprov:Activity.activityDescription", false));

            rows = new ArrayList<>();
            for (ProvElement e : doc.elements(ElementKind.ENTITY)) {
                if (!e.hasType(PARAMETER)) {
                    String name = e.first(ProvTerms.voprov("name"));
                    rows.add(new String[] {e.id(), name != null ? name : e.first(ProvTerms.PROV_LABEL),
                            e.first(ProvTerms.PROV_LOCATION), generatedAt.get(e.id()),
                            e.first(ProvTerms.voprov("contentType"))});
                }
            }
            table(w, "entity", "voprov:Entity", rows,
                    f("id", "meta.id", "voprov:Entity.id", false), f("name", "meta.title", "voprov:Entity.name", false),
                    f("location", "meta.ref.url", "voprov:Entity.location", false),
                    f("generatedAtTime", null, "voprov:Entity.generatedAtTime", true),
                    f("contentType", "meta.code.mime", "voprov:DatasetEntity.contentType", false));

            rows = new ArrayList<>();
            for (ProvElement a : doc.elements(ElementKind.AGENT)) {
                String type = a.hasType(ProvTerms.PROV_PERSON) ? "Person"
                        : a.hasType(ProvTerms.PROV_SOFTWARE_AGENT) ? "SoftwareAgent"
                        : a.hasType(ProvTerms.PROV_ORGANIZATION) ? "Organization" : null;
                String name = a.first(ProvTerms.voprov("name"));
                rows.add(new String[] {a.id(), name != null ? name : a.first(ProvTerms.PROV_LABEL), type});
            }
            table(w, "agent", "voprov:Agent", rows, f("id", "meta.id", "voprov:Agent.id", false),
                    f("name", "meta.title", "voprov:Agent.name", false), f("type", null, "voprov:Agent.type", false));

            rows = new ArrayList<>();
            for (ProvRelation r : doc.relations(RelationKind.USED)) {
                rows.add(new String[] {r.argument("activity"), r.argument("entity"), r.first(ProvTerms.PROV_ROLE),
                        time(r.time())});
            }
            table(w, "used", "voprov:Used", rows, f("activity", "meta.id;meta.ref", "voprov:Activity.used", false),
                    f("entity", "meta.id;meta.ref", "voprov:Used.entity", false), f("role", null, "voprov:Used.role", false),
                    f("time", null, "voprov:Used.time", true));

            rows = new ArrayList<>();
            for (ProvRelation r : doc.relations(RelationKind.WAS_GENERATED_BY)) {
                rows.add(new String[] {r.argument("entity"), r.argument("activity"), r.first(ProvTerms.PROV_ROLE),
                        time(r.time())});
            }
            table(w, "wasGeneratedBy", "voprov:WasGeneratedBy", rows,
                    f("entity", "meta.id;meta.ref", "voprov:Entity.wasGeneratedBy", false),
                    f("activity", "meta.id;meta.ref", "voprov:WasGeneratedBy.activity", false),
                    f("role", null, "voprov:WasGeneratedBy.role", false), f("time", null, "voprov:WasGeneratedBy.time", true));

            rows = new ArrayList<>();
            for (ProvRelation r : doc.relations(RelationKind.WAS_ASSOCIATED_WITH)) {
                rows.add(new String[] {r.argument("activity"), r.argument("agent"), r.first(ProvTerms.PROV_ROLE)});
            }
            table(w, "wasAssociatedWith", "voprov:WasAssociatedWith", rows,
                    f("activity", "meta.id;meta.ref", "voprov:Activity.wasAssociatedWith", false),
                    f("agent", "meta.id;meta.ref", "voprov:WasAssociatedWith.agent", false),
                    f("role", null, "voprov:WasAssociatedWith.role", false));

            rows = new ArrayList<>();
            for (ProvRelation r : doc.relations(RelationKind.WAS_ATTRIBUTED_TO)) {
                rows.add(new String[] {r.argument("entity"), r.argument("agent")});
            }
            table(w, "wasAttributedTo", "voprov:WasAttributedTo", rows,
                    f("entity", "meta.id;meta.ref", "voprov:Entity.wasAttributedTo", false),
                    f("agent", "meta.id;meta.ref", "voprov:WasAttributedTo.agent", false));

            rows = new ArrayList<>();
            for (ProvRelation r : doc.relations(RelationKind.WAS_DERIVED_FROM)) {
                rows.add(new String[] {r.argument("generatedEntity"), r.argument("usedEntity")});
            }
            table(w, "wasDerivedFrom", "voprov:WasDerivedFrom", rows,
                    f("generatedEntity", "meta.id;meta.ref", "voprov:Entity.wasDerivedFrom", false),
                    f("usedEntity", "meta.id;meta.ref", "voprov:WasDerivedFrom.usedEntity", false));

            rows = new ArrayList<>();
            for (ProvRelation r : doc.relations(RelationKind.WAS_INFLUENCED_BY)) {
                ProvElement p = entities.get(r.argument("influencer"));
                if (p != null && p.hasType(PARAMETER) && r.hasType(ProvTerms.voprov("ConfigurationRelation"))) {
                    rows.add(new String[] {r.argument("influencee"), p.first(ProvTerms.voprov("name")),
                            p.first(ProvTerms.voprov("value")), paramDescriptions.get(p.id())});
                }
            }
            table(w, "parameter", "voprov:ActivityConfiguration.Parameter", rows,
                    f("activity", "meta.id;meta.ref", "voprov:Activity.wasConfiguredBy", false),
                    f("name", null, "voprov:ActivityConfiguration.Parameter.name", false),
                    f("value", null, "voprov:ActivityConfiguration.Parameter.value", false),
                    f("parameterDescription", "meta.id;meta.ref",
                            "voprov:ActivityConfiguration.Parameter.parameterDescription", false));

            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.flush();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the VOTable: " + e.getMessage(), e);
        }
    }

    private record Field(String name, String ucd, String utype, boolean timestamp) {
    }

    private static Field f(String name, String ucd, String utype, boolean timestamp) {
        return new Field(name, ucd, utype, timestamp);
    }

    private static String time(java.time.Instant t) {
        return t == null ? null : Instants.format(t);
    }

    private static void table(XMLStreamWriter w, String name, String utype, List<String[]> rows, Field... fields)
            throws XMLStreamException {
        w.writeStartElement("TABLE");
        w.writeAttribute("name", name);
        w.writeAttribute("utype", utype);
        w.writeCharacters("\n");
        for (Field f : fields) {
            w.writeEmptyElement("FIELD");
            w.writeAttribute("name", f.name());
            w.writeAttribute("datatype", "char");
            w.writeAttribute("arraysize", "*");
            if (f.timestamp()) {
                w.writeAttribute("xtype", "timestamp");
            }
            if (f.ucd() != null) {
                w.writeAttribute("ucd", f.ucd());
            }
            w.writeAttribute("utype", f.utype());
            w.writeCharacters("\n");
        }
        w.writeStartElement("DATA");
        w.writeStartElement("TABLEDATA");
        w.writeCharacters("\n");
        for (String[] row : rows) {
            w.writeStartElement("TR");
            for (String cell : row) {
                if (cell == null) {
                    w.writeEmptyElement("TD");
                } else {
                    w.writeStartElement("TD");
                    w.writeCharacters(cell);
                    w.writeEndElement();
                }
            }
            w.writeEndElement();
            w.writeCharacters("\n");
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
    }
}
