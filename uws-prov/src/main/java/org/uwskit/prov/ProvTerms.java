package org.uwskit.prov;

/**
 * Namespace URIs and term URIs used by the provenance documents. Identifiers and attribute names are absolute URIs
 * everywhere in this module; writers turn them into qualified names.
 *
 * <p>The {@code uws} term namespace is {@value #UWS} (a term namespace, not the UWS XSD namespace; OPUS uses
 * {@code …/v1.1#}, we keep the 1.0 form that voprov uses).
 */
public final class ProvTerms {
    /** W3C PROV. */
    public static final String PROV = "http://www.w3.org/ns/prov#";
    /** XML Schema datatypes, as PROV-JSON and PROV-N write them (with {@code #}). */
    public static final String XSD = "http://www.w3.org/2001/XMLSchema#";
    /** IVOA Provenance DM terms (the namespace voprov and OPUS use). */
    public static final String VOPROV = "http://www.ivoa.net/documents/ProvenanceDM/index.html#";
    /** UWS terms. */
    public static final String UWS = "http://www.ivoa.net/xml/UWS/v1.0#";
    /** FOAF (e-mail of agents). */
    public static final String FOAF = "http://xmlns.com/foaf/0.1/";

    public static final String PROV_LABEL = PROV + "label";
    public static final String PROV_TYPE = PROV + "type";
    public static final String PROV_LOCATION = PROV + "location";
    public static final String PROV_ROLE = PROV + "role";
    public static final String PROV_VALUE = PROV + "value";
    /** The PROV-JSON datatype of qualified-name values. */
    public static final String QUALIFIED_NAME = PROV + "QUALIFIED_NAME";
    public static final String PROV_PERSON = PROV + "Person";
    public static final String PROV_SOFTWARE_AGENT = PROV + "SoftwareAgent";
    public static final String PROV_ORGANIZATION = PROV + "Organization";
    public static final String PROV_PLAN = PROV + "Plan";

    public static final String XSD_STRING = XSD + "string";
    public static final String XSD_LONG = XSD + "long";
    public static final String XSD_INT = XSD + "int";
    public static final String XSD_DOUBLE = XSD + "double";
    public static final String XSD_BOOLEAN = XSD + "boolean";
    public static final String XSD_DATETIME = XSD + "dateTime";
    public static final String XSD_ANYURI = XSD + "anyURI";

    private ProvTerms() {
    }

    /** A ProvDM term, e.g. {@code voprov("name")}. */
    public static String voprov(String local) {
        return VOPROV + local;
    }

    /** A UWS term, e.g. {@code uws("phase")}. */
    public static String uws(String local) {
        return UWS + local;
    }

    /** A PROV term, e.g. {@code prov("Plan")}. */
    public static String prov(String local) {
        return PROV + local;
    }
}
