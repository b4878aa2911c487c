package org.uwskit.definition;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.uwskit.JobDefinition;
import org.uwskit.OutputDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

/**
 * The IVOA Provenance Data Model description of one job type — the ActivityDescription its jobs' provenance
 * documents name as their plan — as a VOTable 1.4 document in the form the Paris Observatory's OPUS reads and
 * writes: one {@code RESOURCE type="meta" utype="voprov:ActivityDescription"} with the name, description and
 * version, a {@code GROUP name="InputParams"} with one {@code PARAM} per non-file parameter (datatype, unit, UCD, the
 * default as {@code value}, {@code type="no_query"} when optional, {@code VALUES} with {@code MIN}, {@code MAX} and
 * {@code OPTION}s, the description), a {@code GROUP name="Used"} with one {@code voprov:UsedDescription} group per
 * FILE parameter (multiplicity, content type, {@code url="file://$ID"}: an upload), and a
 * {@code GROUP name="Generated"} with one {@code voprov:WasGeneratedBy} group per declared output (the result id as
 * {@code default}, its content type). How a job runs (a command or a script) is the service's own and never
 * written. {@link DefinitionLoader} reads such a document back (given a {@code script}) into the same parameters,
 * except what the format has no place for: a pattern, more than one value, several content types. A pure function;
 * thread-safe.
 */
public final class ActivityDescriptionDocument {
    /** The media type the document is served as. */
    public static final String MEDIA_TYPE = ServiceDescriptor.MEDIA_TYPE;
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private ActivityDescriptionDocument() {
    }

    /**
     * The document as an XML text.
     *
     * @param definition the job type
     * @return the VOTable document
     */
    public static String write(JobDefinition definition) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("VOTABLE");
            w.writeDefaultNamespace(ServiceDescriptor.VOTABLE_NS);
            w.writeAttribute("version", "1.4");
            w.writeCharacters("\n");
            w.writeStartElement("RESOURCE");
            w.writeAttribute("ID", ServiceDescriptor.xmlId(definition.name()));
            w.writeAttribute("name", definition.name());
            w.writeAttribute("type", "meta");
            w.writeAttribute("utype", ActivityDescriptionReader.UTYPE);
            w.writeCharacters("\n");
            if (definition.description() != null) {
                element(w, "DESCRIPTION", definition.description());
            }
            if (definition.version() != null) {
                text(w, "version", definition.version(), "voprov:ActivityDescription.version");
            }
            group(w, "InputParams");
            for (ParameterDefinition p : definition.parameters().values()) {
                if (p.type() != ParameterType.FILE) {
                    inputParam(w, p);
                }
            }
            end(w);
            group(w, "Used");
            for (ParameterDefinition p : definition.parameters().values()) {
                if (p.type() == ParameterType.FILE) {
                    used(w, p);
                }
            }
            end(w);
            group(w, "Generated");
            for (OutputDefinition o : definition.outputs()) {
                generated(w, o);
            }
            end(w);
            end(w);
            end(w);
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the activity description", e);
        }
        return out.toString();
    }

    private static void inputParam(XMLStreamWriter w, ParameterDefinition p) throws XMLStreamException {
        w.writeStartElement("PARAM");
        w.writeAttribute("name", p.name());
        String datatype = ServiceDescriptor.datatype(p);
        w.writeAttribute("datatype", datatype);
        if (datatype.equals("char")) {
            w.writeAttribute("arraysize", "*");
        }
        if (p.type() == ParameterType.INSTANT) {
            w.writeAttribute("xtype", "timestamp");
        } else if (p.type() == ParameterType.URI) {
            w.writeAttribute("xtype", "uri");
        }
        if (!p.required()) {
            w.writeAttribute("type", "no_query");
        }
        ServiceDescriptor.unitUcdValue(w, p);
        if (p.description() != null) {
            element(w, "DESCRIPTION", p.description());
        }
        ServiceDescriptor.values(w, p);
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    private static void used(XMLStreamWriter w, ParameterDefinition p) throws XMLStreamException {
        entity(w, p.name(), "voprov:UsedDescription", p.description());
        text(w, "role", p.name(), "voprov:UsedDescription.role");
        text(w, "multiplicity", p.maxOccurs() > 1 ? "*" : p.required() ? "1" : "0..1",
                "voprov:UsedDescription.multiplicity");
        if (p.contentTypes().size() == 1) {
            text(w, "content_type", p.contentTypes().get(0), "voprov:EntityDescription.content_type");
        }
        text(w, "url", "file://$ID", "voprov:EntityDescription.url");
        end(w);
    }

    private static void generated(XMLStreamWriter w, OutputDefinition o) throws XMLStreamException {
        entity(w, o.id().replaceAll("[^A-Za-z0-9_]", "_"), "voprov:WasGeneratedBy", o.description());
        text(w, "default", o.id(), "voprov:Entity.id");
        if (o.contentType() != null) {
            text(w, "content_type", o.contentType(), "voprov:EntityDescription.content_type");
        }
        end(w);
    }

    private static void entity(XMLStreamWriter w, String name, String utype, String description)
            throws XMLStreamException {
        w.writeStartElement("GROUP");
        w.writeAttribute("name", name);
        w.writeAttribute("utype", utype);
        w.writeCharacters("\n");
        if (description != null) {
            element(w, "DESCRIPTION", description);
        }
    }

    private static void group(XMLStreamWriter w, String name) throws XMLStreamException {
        w.writeStartElement("GROUP");
        w.writeAttribute("name", name);
        w.writeCharacters("\n");
    }

    private static void end(XMLStreamWriter w) throws XMLStreamException {
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    private static void text(XMLStreamWriter w, String name, String value, String utype) throws XMLStreamException {
        w.writeEmptyElement("PARAM");
        w.writeAttribute("name", name);
        w.writeAttribute("datatype", "char");
        w.writeAttribute("arraysize", "*");
        w.writeAttribute("utype", utype);
        w.writeAttribute("value", value);
        w.writeCharacters("\n");
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
        w.writeCharacters("\n");
    }
}
