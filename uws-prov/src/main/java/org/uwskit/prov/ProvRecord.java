package org.uwskit.prov;

import java.util.List;

/** A record of a provenance document: an element ({@link ProvElement}) or a relation ({@link ProvRelation}). */
public sealed interface ProvRecord permits ProvElement, ProvRelation {
    /** The identifier (an absolute URI), or null for an anonymous relation. */
    String id();

    /** The extra attributes, in order. */
    List<ProvAttribute> attributes();

    /** The values of one attribute, in order. */
    default List<ProvValue> values(String attributeName) {
        return attributes().stream().filter(a -> a.name().equals(attributeName)).map(ProvAttribute::value).toList();
    }

    /** The first value of one attribute, as text, or null. */
    default String first(String attributeName) {
        for (ProvAttribute a : attributes()) {
            if (a.name().equals(attributeName)) {
                return a.value().lexical();
            }
        }
        return null;
    }

    /** Whether the record has {@code prov:type} = the term {@code typeUri}. */
    default boolean hasType(String typeUri) {
        for (ProvAttribute a : attributes()) {
            if (a.name().equals(ProvTerms.PROV_TYPE) && a.value().lexical().equals(typeUri)) {
                return true;
            }
        }
        return false;
    }

    static void checkProvAttributes(List<ProvAttribute> attributes, java.util.Set<String> allowed, String what) {
        for (ProvAttribute a : attributes) {
            if (a.name().startsWith(ProvTerms.PROV)) {
                String local = a.name().substring(ProvTerms.PROV.length());
                if (!allowed.contains(local)) {
                    throw new IllegalArgumentException("prov:" + local + " is not allowed on " + what + "; allowed: "
                            + new java.util.TreeSet<>(allowed));
                }
            }
        }
    }
}
