package org.uwskit.definition;

import java.io.StringWriter;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.uwskit.JobDefinition;
import org.uwskit.ParameterDefinition;

/**
 * The DataLink 1.1 service descriptor of one job type: a VOTable 1.4 document holding one
 * {@code RESOURCE type="meta" utype="adhoc:service"} with the {@code accessURL} (the job list, where a job is created
 * by POST) and {@code standardID} PARAMs, and a {@code GROUP name="inputParams"} with one {@code PARAM} per declared
 * parameter: datatype ({@code char}/{@code long}/{@code double}/{@code boolean}), {@code xtype="timestamp"} for
 * instants, unit, UCD, the default as {@code value}, {@code VALUES} with {@code MIN}/{@code MAX} and
 * {@code OPTION}s, and the description. A pure function; thread-safe.
 */
public final class ServiceDescriptor {
    /** The media type the descriptor is served as. */
    public static final String MEDIA_TYPE = "application/x-votable+xml";
    /** The VOTable namespace (VOTable 1.3 and 1.4 share it). */
    public static final String VOTABLE_NS = "http://www.ivoa.net/xml/VOTable/v1.3";
    /** The standard id given to the service: asynchronous jobs per UWS 1.1. */
    public static final String STANDARD_ID = "ivo://ivoa.net/std/UWS#async-1.1";
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private ServiceDescriptor() {
    }

    /**
     * The descriptor as an XML text.
     *
     * @param definition the job type
     * @param accessUrl  the URL jobs of this type are created at (the job list)
     * @param fixed      parameters whose value is fixed (e.g. the job list's selector), written as PARAMs with that
     *                   value and a single OPTION; may be empty
     * @return the VOTable document
     */
    public static String write(JobDefinition definition, String accessUrl, Map<String, String> fixed) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("VOTABLE");
            w.writeDefaultNamespace(VOTABLE_NS);
            w.writeAttribute("version", "1.4");
            w.writeCharacters("\n");
            w.writeStartElement("RESOURCE");
            w.writeAttribute("type", "meta");
            w.writeAttribute("utype", "adhoc:service");
            w.writeAttribute("ID", xmlId(definition.name()));
            w.writeAttribute("name", definition.name());
            w.writeCharacters("\n");
            if (definition.description() != null) {
                element(w, "DESCRIPTION", definition.description());
            }
            simpleParam(w, "standardID", STANDARD_ID);
            simpleParam(w, "accessURL", accessUrl);
            w.writeStartElement("GROUP");
            w.writeAttribute("name", "inputParams");
            w.writeCharacters("\n");
            for (Map.Entry<String, String> f : fixed.entrySet()) {
                w.writeStartElement("PARAM");
                w.writeAttribute("name", f.getKey());
                w.writeAttribute("datatype", "char");
                w.writeAttribute("arraysize", "*");
                w.writeAttribute("value", f.getValue());
                w.writeStartElement("VALUES");
                w.writeEmptyElement("OPTION");
                w.writeAttribute("value", f.getValue());
                w.writeEndElement();
                w.writeEndElement();
                w.writeCharacters("\n");
            }
            for (ParameterDefinition p : definition.parameters().values()) {
                param(w, p);
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the service descriptor", e);
        }
        return out.toString();
    }

    /** The VOTable datatype of a parameter type. */
    public static String datatype(ParameterDefinition p) {
        return switch (p.type()) {
            case INTEGER -> "long";
            case REAL -> "double";
            case BOOLEAN -> "boolean";
            default -> "char";
        };
    }

    private static void param(XMLStreamWriter w, ParameterDefinition p) throws XMLStreamException {
        w.writeStartElement("PARAM");
        w.writeAttribute("name", p.name());
        String datatype = datatype(p);
        w.writeAttribute("datatype", datatype);
        if (datatype.equals("char")) {
            w.writeAttribute("arraysize", "*");
        }
        if (p.type() == org.uwskit.ParameterType.INSTANT) {
            w.writeAttribute("xtype", "timestamp");
        }
        unitUcdValue(w, p);
        String description = describe(p);
        if (description != null) {
            element(w, "DESCRIPTION", description);
        }
        values(w, p);
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    /** A PARAM's {@code unit} and {@code ucd} (when the parameter has them) and its default as {@code value}. */
    static void unitUcdValue(XMLStreamWriter w, ParameterDefinition p) throws XMLStreamException {
        if (p.unit() != null) {
            w.writeAttribute("unit", p.unit());
        }
        if (p.ucd() != null) {
            w.writeAttribute("ucd", p.ucd());
        }
        w.writeAttribute("value", p.defaultValue() == null ? "" : p.defaultValue().trim());
    }

    /** The {@code VALUES} of a PARAM: {@code MIN}, {@code MAX} and {@code OPTION}s, when the parameter has any. */
    static void values(XMLStreamWriter w, ParameterDefinition p) throws XMLStreamException {
        if (p.min() != null || p.max() != null || !p.options().isEmpty()) {
            w.writeStartElement("VALUES");
            if (p.min() != null) {
                w.writeEmptyElement("MIN");
                w.writeAttribute("value", number(p.min()));
            }
            if (p.max() != null) {
                w.writeEmptyElement("MAX");
                w.writeAttribute("value", number(p.max()));
            }
            for (String o : p.options()) {
                w.writeEmptyElement("OPTION");
                w.writeAttribute("value", o);
            }
            w.writeEndElement();
        }
    }

    /** The description, with what a VOTable PARAM has no attribute for (required, file, pattern). */
    private static String describe(ParameterDefinition p) {
        StringBuilder s = new StringBuilder(p.description() == null ? "" : p.description());
        java.util.List<String> notes = new java.util.ArrayList<>();
        if (p.required()) {
            notes.add("required");
        }
        if (p.type() == org.uwskit.ParameterType.FILE) {
            notes.add("a file: an inline upload (param:NAME) or a URL"
                    + (p.contentTypes().isEmpty() ? "" : ", of type " + String.join(" or ", p.contentTypes()))
                    + (p.maxSize() == null ? "" : ", at most " + p.maxSize() + " bytes"));
        }
        if (p.type() == org.uwskit.ParameterType.URI) {
            notes.add("an absolute URI");
        }
        if (p.pattern() != null) {
            notes.add("matching " + p.pattern());
        }
        if (p.maxOccurs() > 1) {
            notes.add(p.maxOccurs() == ParameterDefinition.UNBOUNDED ? "any number of values"
                    : "at most " + p.maxOccurs() + " values");
        }
        if (!notes.isEmpty()) {
            s.append(s.length() == 0 ? "" : " ").append("(").append(String.join("; ", notes)).append(")");
        }
        return s.length() == 0 ? null : s.toString();
    }

    private static void simpleParam(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeEmptyElement("PARAM");
        w.writeAttribute("name", name);
        w.writeAttribute("datatype", "char");
        w.writeAttribute("arraysize", "*");
        w.writeAttribute("value", value);
        w.writeCharacters("\n");
    }

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** An XML ID (NCName) for a job type name, which may start with a digit. */
    static String xmlId(String name) {
        String id = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return Character.isLetter(id.charAt(0)) || id.charAt(0) == '_' ? id : "_" + id;
    }
}
