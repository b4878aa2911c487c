package org.uwskit.prov;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provenance document: preferred namespace prefixes, records and bundles. Immutable; build with
 * {@link #builder()}, combine with {@link #merge}. The writers ({@link ProvFormat}) choose the final prefixes: the
 * preferred ones where they give an NCName local part, generated ones ({@code ns1}, …) otherwise.
 *
 * <p>Records are normalised as PROV merges them: two elements of the same kind and id become one carrying the
 * attributes of both; a relation with an id appears once; identical anonymous relations appear once.
 *
 * @param namespaces preferred prefix → namespace URI, in declaration order (never {@code prov} or {@code xsd})
 * @param records    the document's records, in order
 * @param bundles    its bundles, in order
 */
public record ProvDocument(Map<String, String> namespaces, List<ProvRecord> records, List<ProvBundle> bundles) {
    public ProvDocument {
        namespaces = Collections.unmodifiableMap(new LinkedHashMap<>(namespaces));
        records = List.copyOf(records);
        bundles = List.copyOf(bundles);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The element of this kind and id in the document (not in bundles). */
    public Optional<ProvElement> element(ElementKind kind, String id) {
        for (ProvRecord r : records) {
            if (r instanceof ProvElement e && e.kind() == kind && e.id().equals(id)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The document's elements of one kind (not in bundles). */
    public List<ProvElement> elements(ElementKind kind) {
        List<ProvElement> out = new ArrayList<>();
        for (ProvRecord r : records) {
            if (r instanceof ProvElement e && e.kind() == kind) {
                out.add(e);
            }
        }
        return out;
    }

    /** The document's relations of one kind (not in bundles). */
    public List<ProvRelation> relations(RelationKind kind) {
        List<ProvRelation> out = new ArrayList<>();
        for (ProvRecord r : records) {
            if (r instanceof ProvRelation rel && rel.kind() == kind) {
                out.add(rel);
            }
        }
        return out;
    }

    /** This document and {@code other} as one (prefixes of {@code other} that clash with this one's are dropped). */
    public ProvDocument merge(ProvDocument other) {
        return builder().addAll(this).addAll(other).build();
    }

    /** Collects records, merging as the class comment says. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> namespaces = new LinkedHashMap<>();
        private final Container main = new Container();
        private final Map<String, Container> bundles = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Prefers {@code prefix} for {@code uri}. A prefix already bound to another URI, or a URI already given a
         * prefix, is left as it was.
         *
         * @throws IllegalArgumentException if the prefix is not an NCName, or is {@code prov}/{@code xsd} bound to
         *                                  another URI
         */
        public Builder namespace(String prefix, String uri) {
            if (!ProvIds.isNcName(prefix) || prefix.indexOf('.') >= 0) {
                throw new IllegalArgumentException("namespace prefix '" + prefix + "' must be an XML name without dots");
            }
            Objects.requireNonNull(uri, "uri");
            if (prefix.equals("prov") || prefix.equals("xsd")) {
                String fixed = prefix.equals("prov") ? ProvTerms.PROV : ProvTerms.XSD;
                if (!fixed.equals(uri)) {
                    throw new IllegalArgumentException("the prefix " + prefix + " is reserved for " + fixed);
                }
                return this;
            }
            if (!namespaces.containsKey(prefix) && !namespaces.containsValue(uri)) {
                namespaces.put(prefix, uri);
            }
            return this;
        }

        public Builder add(ProvRecord r) {
            main.add(r);
            return this;
        }

        public Builder addAll(List<? extends ProvRecord> rs) {
            for (ProvRecord r : rs) {
                main.add(r);
            }
            return this;
        }

        /** Adds a record to the bundle {@code bundleId}, creating the bundle when needed. */
        public Builder addToBundle(String bundleId, ProvRecord r) {
            ProvIds.requireRepresentable(bundleId, "bundle id");
            bundles.computeIfAbsent(bundleId, k -> new Container()).add(r);
            return this;
        }

        /** Adds everything of another document: prefixes, records and bundles. */
        public Builder addAll(ProvDocument d) {
            d.namespaces().forEach(this::namespace);
            addAll(d.records());
            for (ProvBundle b : d.bundles()) {
                for (ProvRecord r : b.records()) {
                    addToBundle(b.id(), r);
                }
            }
            return this;
        }

        public ProvDocument build() {
            List<ProvBundle> bs = new ArrayList<>();
            bundles.forEach((id, c) -> bs.add(new ProvBundle(id, c.records())));
            return new ProvDocument(namespaces, main.records(), bs);
        }
    }

    private static final class Container {
        private final Map<Object, ProvRecord> records = new LinkedHashMap<>();

        void add(ProvRecord r) {
            Objects.requireNonNull(r, "record");
            if (r instanceof ProvElement e) {
                records.merge(new ElementKey(e.kind(), e.id()), e, (a, b) -> ((ProvElement) a).mergedWith((ProvElement) b));
            } else if (r.id() != null) {
                records.putIfAbsent(new RelationKey(r.id()), r);
            } else {
                records.putIfAbsent(r, r);
            }
        }

        List<ProvRecord> records() {
            return new ArrayList<>(records.values());
        }
    }

    private record ElementKey(ElementKind kind, String id) {
    }

    private record RelationKey(String id) {
    }
}
