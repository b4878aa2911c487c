package org.uwskit.prov;

import java.util.Objects;

/**
 * One attribute-value pair of a record. A record may carry the same attribute name several times (PROV attributes
 * are multi-valued, e.g. two {@code prov:type}).
 *
 * @param name  the attribute's absolute URI, e.g. {@code ProvTerms.voprov("name")}
 * @param value the value
 */
public record ProvAttribute(String name, ProvValue value) {
    public ProvAttribute {
        ProvIds.requireRepresentable(name, "attribute name");
        Objects.requireNonNull(value, "value");
    }

    public static ProvAttribute of(String name, ProvValue value) {
        return new ProvAttribute(name, value);
    }

    public static ProvAttribute of(String name, String text) {
        return new ProvAttribute(name, ProvValue.string(text));
    }
}
