package org.uwskit.definition;

import java.io.StringWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.ParameterDefinition;

/**
 * The VOSI 1.0 capabilities document of a UWS service: the capabilities endpoint itself; per job list a capability
 * ({@value ServiceDescriptor#STANDARD_ID}) whose {@code vs:ParamHTTP} interface has the job list as base URL, POST
 * as query type and one {@code param} per parameter of its job types (name, description, unit, UCD, VODataService
 * data type; {@code use="required"} when required; the selector when the list has several types); and per job list
 * a capability pointing at its job type descriptions. A pure function; thread-safe.
 */
public final class VosiCapabilities {
    /** The media type the document is served as. */
    public static final String MEDIA_TYPE = "application/xml";
    /** VOSI capabilities namespace. */
    public static final String VOSI_NS = "http://www.ivoa.net/xml/VOSICapabilities/v1.0";
    /** VOResource namespace. */
    public static final String VR_NS = "http://www.ivoa.net/xml/VOResource/v1.0";
    /** VODataService namespace. */
    public static final String VS_NS = "http://www.ivoa.net/xml/VODataService/v1.1";
    /** The standard id of the capabilities endpoint. */
    public static final String CAPABILITIES_ID = "ivo://ivoa.net/std/VOSI#capabilities";
    private static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private VosiCapabilities() {
    }

    /**
     * The document as an XML text.
     *
     * @param serviceUrl      the URL the job lists are under (no trailing slash)
     * @param capabilitiesUrl the URL this document is served at
     * @param jobLists        the job lists to name (those the caller may use)
     * @param definitionsPath the path segment, after a job list, of its job type descriptions
     * @return the capabilities document
     */
    public static String write(String serviceUrl, String capabilitiesUrl, Collection<JobList> jobLists,
                               String definitionsPath) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.setPrefix("vosi", VOSI_NS);
            w.writeStartElement("vosi", "capabilities", VOSI_NS);
            w.writeNamespace("vosi", VOSI_NS);
            w.writeNamespace("vr", VR_NS);
            w.writeNamespace("vs", VS_NS);
            w.writeNamespace("xsi", XSI_NS);
            w.writeCharacters("\n");
            capability(w, CAPABILITIES_ID, null, capabilitiesUrl, "full", null);
            for (JobList l : jobLists) {
                String listUrl = serviceUrl + "/" + l.name();
                capability(w, ServiceDescriptor.STANDARD_ID, "UWS 1.1 job list " + l.name()
                        + (l.description() == null ? "" : ": " + l.description()), listUrl, "base", l);
                capability(w, null, "Descriptions of the job types of " + l.name() + " (JSON index; each type's "
                        + "JSON Schema 2020-12 and DataLink service descriptor)", listUrl + "/" + definitionsPath,
                        "full", null);
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the capabilities", e);
        }
        return out.toString();
    }

    private static void capability(XMLStreamWriter w, String standardId, String description, String url, String use,
                                   JobList params) throws XMLStreamException {
        w.writeStartElement("capability");
        if (standardId != null) {
            w.writeAttribute("standardID", standardId);
        }
        if (description != null) {
            text(w, "description", description);
        }
        w.writeStartElement("interface");
        w.writeAttribute("xsi", XSI_NS, "type", "vs:ParamHTTP");
        if (params != null) {
            w.writeAttribute("role", "std");
        }
        w.writeStartElement("accessURL");
        w.writeAttribute("use", use);
        w.writeCharacters(url);
        w.writeEndElement();
        if (params != null) {
            text(w, "queryType", "POST");
            text(w, "resultType", "application/xml");
            Map<String, ParameterDefinition> all = new LinkedHashMap<>();
            for (JobDefinition d : params.definitions().values()) {
                d.parameters().values().forEach(p -> all.putIfAbsent(p.name(), p));
            }
            if (params.definitions().size() > 1) {
                param(w, params.selector(), "the job type: one of " + params.definitions().keySet(), null, null,
                        "string", true);
            }
            boolean several = params.definitions().size() > 1;
            for (ParameterDefinition p : all.values()) {
                param(w, p.name(), p.description(), p.unit(), p.ucd(), dataType(p), p.required() && !several);
            }
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeCharacters("\n");
    }

    private static void param(XMLStreamWriter w, String name, String description, String unit, String ucd,
                              String dataType, boolean required) throws XMLStreamException {
        w.writeStartElement("param");
        w.writeAttribute("use", required ? "required" : "optional");
        text(w, "name", name);
        if (description != null) {
            text(w, "description", description);
        }
        if (unit != null) {
            text(w, "unit", unit);
        }
        if (ucd != null) {
            text(w, "ucd", ucd);
        }
        text(w, "dataType", dataType);
        w.writeEndElement();
    }

    /** The VODataService 1.1 simple data type of a parameter. */
    static String dataType(ParameterDefinition p) {
        return switch (p.type()) {
            case INTEGER -> "integer";
            case REAL -> "real";
            case BOOLEAN -> "boolean";
            default -> "string";
        };
    }

    private static void text(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(value);
        w.writeEndElement();
    }
}
