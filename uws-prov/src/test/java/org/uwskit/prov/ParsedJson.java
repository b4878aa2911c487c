package org.uwskit.prov;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A PROV-JSON document read with Jackson, with every record key expanded to its full URI. */
final class ParsedJson {
    final Map<String, String> prefixes = new HashMap<>();
    /** section → full id → body (main document only). */
    final Map<String, Map<String, JsonNode>> sections = new LinkedHashMap<>();
    final JsonNode root;

    ParsedJson(byte[] json) throws IOException {
        root = new ObjectMapper().readTree(json);
        prefixes.put("prov", ProvTerms.PROV);
        prefixes.put("xsd", ProvTerms.XSD);
        root.get("prefix").fields().forEachRemaining(e -> prefixes.put(e.getKey(), e.getValue().asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            if (s.getKey().equals("prefix") || s.getKey().equals("bundle")) {
                continue;
            }
            Map<String, JsonNode> recs = new LinkedHashMap<>();
            s.getValue().fields().forEachRemaining(r -> recs.put(r.getKey().startsWith("_:") ? r.getKey() : expand(r.getKey()), r.getValue()));
            sections.put(s.getKey(), recs);
        }
    }

    String expand(String qname) {
        int c = qname.indexOf(':');
        String ns = prefixes.get(qname.substring(0, c));
        if (ns == null) {
            throw new AssertionError("undeclared prefix in " + qname);
        }
        return ns + qname.substring(c + 1);
    }

    Map<String, JsonNode> section(String name) {
        return sections.getOrDefault(name, Map.of());
    }

    /** The expanded values of a formal attribute over a section's records. */
    java.util.List<String> refs(String section, String attr) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode n : section(section).values()) {
            if (n.has(attr)) {
                out.add(expand(n.get(attr).asText()));
            }
        }
        return out;
    }
}
