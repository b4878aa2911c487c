package org.uwskit.prov;

import java.util.Set;

/** The three PROV element types, with the PROV attributes the PROV-XML schema allows on each. */
public enum ElementKind {
    ENTITY("entity", Set.of("label", "location", "type", "value")),
    ACTIVITY("activity", Set.of("label", "location", "type")),
    AGENT("agent", Set.of("label", "location", "type"));

    private final String provName;
    private final Set<String> provAttributes;

    ElementKind(String provName, Set<String> provAttributes) {
        this.provName = provName;
        this.provAttributes = provAttributes;
    }

    /** The PROV-N keyword, PROV-JSON section and PROV-XML element name. */
    public String provName() {
        return provName;
    }

    /** The local names of the {@code prov:} attributes allowed on this element. */
    public Set<String> provAttributes() {
        return provAttributes;
    }
}
