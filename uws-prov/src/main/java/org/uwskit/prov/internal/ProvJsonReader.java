package org.uwskit.prov.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.uwskit.Instants;
import org.uwskit.prov.ElementKind;
import org.uwskit.prov.ProvAttribute;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvElement;
import org.uwskit.prov.ProvRelation;
import org.uwskit.prov.ProvTerms;
import org.uwskit.prov.ProvValue;
import org.uwskit.prov.RelationKind;

/** Reads a PROV-JSON document without bundles into a {@link ProvDocument}. Stateless. */
public final class ProvJsonReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProvJsonReader() {
    }

    public static ProvDocument read(InputStream in, Map<String, String> bound, long maxBytes) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(new Limited(in, maxBytes));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("provenance records are not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("provenance records must be a JSON object (a PROV-JSON document)");
        }
        Map<String, String> prefixes = new HashMap<>(bound);
        prefixes.put("prov", ProvTerms.PROV);
        prefixes.put("xsd", ProvTerms.XSD);
        ProvDocument.Builder doc = ProvDocument.builder();
        JsonNode pfx = root.get("prefix");
        if (pfx != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = pfx.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (prefixes.containsKey(e.getKey()) && !prefixes.get(e.getKey()).equals(e.getValue().asText())) {
                    throw new IllegalArgumentException("provenance records may not rebind the prefix " + e.getKey());
                }
                prefixes.put(e.getKey(), e.getValue().asText());
                doc.namespace(e.getKey(), e.getValue().asText());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            String name = section.getKey();
            if (name.equals("prefix")) {
                continue;
            }
            ElementKind ek = switch (name) {
                case "entity" -> ElementKind.ENTITY;
                case "activity" -> ElementKind.ACTIVITY;
                case "agent" -> ElementKind.AGENT;
                default -> null;
            };
            RelationKind rk = ek == null ? RelationKind.byProvName(name) : null;
            if (ek == null && rk == null) {
                throw new IllegalArgumentException("provenance records: unsupported section '" + name + "'");
            }
            for (Iterator<Map.Entry<String, JsonNode>> recs = section.getValue().fields(); recs.hasNext(); ) {
                Map.Entry<String, JsonNode> rec = recs.next();
                try {
                    if (ek != null) {
                        doc.add(element(ek, rec.getKey(), rec.getValue(), prefixes));
                    } else {
                        doc.add(relation(rk, rec.getKey(), rec.getValue(), prefixes));
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("provenance records, " + name + " " + rec.getKey() + ": "
                            + e.getMessage(), e);
                }
            }
        }
        return doc.build();
    }

    private static ProvElement element(ElementKind kind, String key, JsonNode body, Map<String, String> pfx) {
        if (key.startsWith("_:")) {
            throw new IllegalArgumentException("an element needs a qualified-name id");
        }
        Instant start = null;
        Instant end = null;
        List<ProvAttribute> attrs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (kind == ElementKind.ACTIVITY && f.getKey().equals("prov:startTime")) {
                start = Instants.parse(f.getValue().asText());
            } else if (kind == ElementKind.ACTIVITY && f.getKey().equals("prov:endTime")) {
                end = Instants.parse(f.getValue().asText());
            } else {
                attributes(f.getKey(), f.getValue(), pfx, attrs);
            }
        }
        return new ProvElement(kind, expand(key, pfx), start, end, attrs);
    }

    private static ProvRelation relation(RelationKind kind, String key, JsonNode body, Map<String, String> pfx) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < kind.arguments().size(); i++) {
            args.add(null);
        }
        Instant time = null;
        List<ProvAttribute> attrs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            int arg = k.startsWith("prov:") ? kind.arguments().indexOf(k.substring(5)) : -1;
            if (arg >= 0) {
                args.set(arg, expand(f.getValue().asText(), pfx));
            } else if (kind.timed() && k.equals("prov:time")) {
                time = Instants.parse(f.getValue().asText());
            } else {
                attributes(k, f.getValue(), pfx, attrs);
            }
        }
        return new ProvRelation(kind, key.startsWith("_:") ? null : expand(key, pfx), args, time, attrs);
    }

    private static void attributes(String key, JsonNode v, Map<String, String> pfx, List<ProvAttribute> out) {
        String name = expand(key, pfx);
        if (v.isArray()) {
            for (JsonNode x : v) {
                out.add(new ProvAttribute(name, value(x, pfx)));
            }
        } else {
            out.add(new ProvAttribute(name, value(v, pfx)));
        }
    }

    private static ProvValue value(JsonNode v, Map<String, String> pfx) {
        if (v.isTextual()) {
            return ProvValue.string(v.asText());
        }
        if (v.isIntegralNumber()) {
            return ProvValue.ofLong(v.asLong());
        }
        if (v.isNumber()) {
            return ProvValue.ofDouble(v.asDouble());
        }
        if (v.isBoolean()) {
            return ProvValue.ofBoolean(v.asBoolean());
        }
        if (v.isObject() && v.has("$")) {
            String lex = v.get("$").asText();
            if (v.has("lang")) {
                return ProvValue.langString(lex, v.get("lang").asText());
            }
            if (!v.has("type")) {
                return ProvValue.string(lex);
            }
            String type = v.get("type").asText();
            if (type.equals("prov:QUALIFIED_NAME") || type.equals("xsd:QName")) {
                return ProvValue.qname(expand(lex, pfx));
            }
            return ProvValue.typed(lex, expand(type, pfx));
        }
        throw new IllegalArgumentException("unsupported attribute value " + v);
    }

    private static String expand(String qname, Map<String, String> pfx) {
        int colon = qname.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + qname + "' is not a qualified name (prefix:local)");
        }
        String ns = pfx.get(qname.substring(0, colon));
        if (ns == null) {
            throw new IllegalArgumentException("the prefix of '" + qname + "' is not declared");
        }
        return ns + qname.substring(colon + 1);
    }

    /** Fails once more than {@code max} bytes were read. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > max) {
                throw new IllegalArgumentException("provenance records larger than " + max + " bytes");
            }
        }
    }
}
