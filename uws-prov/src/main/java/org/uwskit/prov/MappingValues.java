package org.uwskit.prov;

import java.time.Instant;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

/**
 * The small value conversions of the provenance mapping: ProvDM type and role attributes, VOTable value types and
 * typed values of parameters, and URL helpers. Stateless; not API.
 */
final class MappingValues {
    private MappingValues() {
    }

    static ProvAttribute type(String uri) {
        return ProvAttribute.of(ProvTerms.PROV_TYPE, ProvValue.qname(uri));
    }

    static ProvAttribute role(String role) {
        return ProvAttribute.of(ProvTerms.PROV_ROLE, role);
    }

    /** ProvDM valueType names (VOTable datatypes). */
    static String valueType(ParameterType t) {
        return switch (t) {
            case INTEGER -> "long";
            case REAL -> "double";
            case BOOLEAN -> "boolean";
            default -> "char";
        };
    }

    static ProvValue typed(ParameterDefinition d, String raw) {
        if (d == null) {
            return ProvValue.string(raw);
        }
        try {
            Object v = d.parse(raw);
            return switch (d.type()) {
                case INTEGER -> ProvValue.ofLong((Long) v);
                case REAL -> ProvValue.ofDouble((Double) v);
                case BOOLEAN -> ProvValue.ofBoolean((Boolean) v);
                case INSTANT -> ProvValue.dateTime((Instant) v);
                case URI -> ProvValue.anyUri(v.toString());
                default -> ProvValue.string(raw);
            };
        } catch (IllegalArgumentException | ClassCastException e) {
            return ProvValue.string(raw);
        }
    }

    static boolean isAbsoluteUri(String s) {
        try {
            return new java.net.URI(s).isAbsolute();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    static String lastSegment(String url) {
        String s = url;
        int cut = s.indexOf('?');
        if (cut >= 0) {
            s = s.substring(0, cut);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        int slash = s.lastIndexOf('/');
        String seg = slash >= 0 ? s.substring(slash + 1) : s;
        return seg.isEmpty() ? url : seg;
    }
}
