package org.uwskit.prov.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.uwskit.prov.ProvAttribute;
import org.uwskit.prov.ProvBundle;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvIds;
import org.uwskit.prov.ProvRecord;
import org.uwskit.prov.ProvRelation;
import org.uwskit.prov.ProvTerms;
import org.uwskit.prov.ProvValue;

/**
 * Chooses the {@code prefix:local} form of every URI of one document before anything is written (PROV-XML declares
 * its namespaces on the root element, PROV-JSON and PROV-N before the records). A URI takes the longest declared
 * namespace that leaves an NCName local part; otherwise its longest NCName suffix becomes the local part and the
 * rest a generated namespace {@code nsN}. Not thread-safe; one per write.
 */
public final class Naming {
    private final Map<String, String> prefixToNs = new LinkedHashMap<>();
    private final Map<String, String> nsToPrefix = new HashMap<>();
    private final Map<String, String> cache = new HashMap<>();
    private final Map<String, String> prefixOf = new HashMap<>();
    private final List<Set<String>> used = new ArrayList<>();
    private int generated;
    private Set<String> current;

    private Naming(ProvDocument doc) {
        bind("prov", ProvTerms.PROV);
        bind("xsd", ProvTerms.XSD);
        doc.namespaces().forEach(this::bind);
        current = new LinkedHashSet<>();
        used.add(current);
        for (ProvRecord r : doc.records()) {
            visit(r);
        }
        for (ProvBundle b : doc.bundles()) {
            qn(b.id());
        }
        for (ProvBundle b : doc.bundles()) {
            current = new LinkedHashSet<>();
            used.add(current);
            for (ProvRecord r : b.records()) {
                visit(r);
            }
        }
        current = null;
    }

    /** Resolves every URI of {@code doc}. */
    public static Naming of(ProvDocument doc) {
        return new Naming(doc);
    }

    private void bind(String prefix, String ns) {
        if (!prefixToNs.containsKey(prefix) && !nsToPrefix.containsKey(ns)) {
            prefixToNs.put(prefix, ns);
            nsToPrefix.put(ns, prefix);
        }
    }

    private void visit(ProvRecord r) {
        if (r.id() != null) {
            qn(r.id());
        }
        if (r instanceof ProvRelation rel) {
            for (String a : rel.arguments()) {
                if (a != null) {
                    qn(a);
                }
            }
        } else if (r instanceof ProvElement e && (e.startTime() != null || e.endTime() != null)) {
            current.add("prov");
        }
        for (ProvAttribute a : r.attributes()) {
            qn(a.name());
            ProvValue v = a.value();
            if (v.isQualifiedName()) {
                qn(v.lexical());
            } else if (!v.isString()) {
                datatype(v.datatype());
            }
        }
    }

    /** The qualified name of a datatype URI ({@code xsd:double}, {@code prov:QUALIFIED_NAME}, …). */
    public String datatype(String uri) {
        return qn(uri);
    }

    /**
     * The qualified name of {@code uri}.
     *
     * @throws IllegalArgumentException if the URI was not in the document and cannot be written
     */
    public String qn(String uri) {
        String q = cache.get(uri);
        if (q == null) {
            q = resolve(uri);
            cache.put(uri, q);
        }
        if (current != null) {
            current.add(prefixOf.computeIfAbsent(q, x -> x.substring(0, x.indexOf(':'))));
        }
        return q;
    }

    private String resolve(String uri) {
        String bestPrefix = null;
        int bestLen = -1;
        for (Map.Entry<String, String> e : prefixToNs.entrySet()) {
            String ns = e.getValue();
            if (ns.length() > bestLen && uri.length() > ns.length() && uri.startsWith(ns)
                    && ProvIds.isNcName(uri.substring(ns.length()))) {
                bestPrefix = e.getKey();
                bestLen = ns.length();
            }
        }
        if (bestPrefix != null) {
            return bestPrefix + ":" + uri.substring(bestLen);
        }
        int split = ProvIds.localPartStart(uri);
        if (split < 0) {
            throw new IllegalArgumentException("'" + uri + "' cannot be written as a qualified name");
        }
        String ns = uri.substring(0, split);
        String prefix = nsToPrefix.get(ns);
        if (prefix == null) {
            do {
                prefix = "ns" + (++generated);
            } while (prefixToNs.containsKey(prefix));
            bind(prefix, ns);
        }
        return prefix + ":" + uri.substring(split);
    }

    /** Every prefix → namespace, declared and generated (including {@code prov} and {@code xsd}). */
    public Map<String, String> allPrefixes() {
        return prefixToNs;
    }

    /**
     * The prefixes the main document (index 0) or bundle {@code i} (index i + 1) uses, with their namespaces, in
     * first-use order, without {@code prov} and {@code xsd}.
     */
    public Map<String, String> prefixesOf(int container) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : prefixToNs.keySet()) {
            if (used.get(container).contains(p) && !p.equals("prov") && !p.equals("xsd")) {
                out.put(p, prefixToNs.get(p));
            }
        }
        return out;
    }
}
