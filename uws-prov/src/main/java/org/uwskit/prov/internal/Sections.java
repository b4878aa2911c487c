package org.uwskit.prov.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uwskit.prov.ProvAttribute;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvRecord;
import org.uwskit.prov.ProvRelation;
import org.uwskit.prov.ProvTerms;

/** Helpers shared by the writers. Stateless. */
final class Sections {
    private static final List<String> PROV_ORDER = List.of(ProvTerms.PROV_LABEL, ProvTerms.PROV_LOCATION,
            ProvTerms.PROV_ROLE, ProvTerms.PROV_TYPE, ProvTerms.PROV_VALUE);

    private Sections() {
    }

    /** The PROV name of a record's kind (the PROV-JSON section, PROV-XML element, PROV-N keyword). */
    static String provName(ProvRecord r) {
        return r instanceof ProvElement e ? e.kind().provName() : ((ProvRelation) r).kind().provName();
    }

    /** Records grouped by section, sections in order of first appearance. */
    static Map<String, List<ProvRecord>> bySection(List<ProvRecord> records) {
        Map<String, List<ProvRecord>> out = new LinkedHashMap<>();
        for (ProvRecord r : records) {
            out.computeIfAbsent(provName(r), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /**
     * Attributes in the order the PROV-XML schema requires: prov:label, prov:location, prov:role, prov:type,
     * prov:value, then the others as given.
     */
    static List<ProvAttribute> schemaOrder(List<ProvAttribute> attributes) {
        List<ProvAttribute> out = new ArrayList<>(attributes.size());
        for (String p : PROV_ORDER) {
            for (ProvAttribute a : attributes) {
                if (a.name().equals(p)) {
                    out.add(a);
                }
            }
        }
        for (ProvAttribute a : attributes) {
            if (!PROV_ORDER.contains(a.name())) {
                out.add(a);
            }
        }
        return out;
    }

    /** Attribute values grouped by attribute name, names in order of first appearance. */
    static Map<String, List<ProvAttribute>> byName(List<ProvAttribute> attributes) {
        Map<String, List<ProvAttribute>> out = new LinkedHashMap<>();
        for (ProvAttribute a : attributes) {
            out.computeIfAbsent(a.name(), k -> new ArrayList<>(1)).add(a);
        }
        return out;
    }
}
