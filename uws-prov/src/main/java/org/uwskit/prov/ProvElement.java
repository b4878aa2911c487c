package org.uwskit.prov;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An entity, activity or agent. Immutable.
 *
 * @param kind       which element
 * @param id         the identifier, a {@linkplain ProvIds#isRepresentable representable} absolute URI
 * @param startTime  an activity's start, or null
 * @param endTime    an activity's end, or null
 * @param attributes the attributes; {@code prov:} ones only among {@link ElementKind#provAttributes()}
 */
public record ProvElement(ElementKind kind, String id, Instant startTime, Instant endTime, List<ProvAttribute> attributes)
        implements ProvRecord {
    public ProvElement {
        Objects.requireNonNull(kind, "kind");
        ProvIds.requireRepresentable(id, kind.provName() + " id");
        if (kind != ElementKind.ACTIVITY && (startTime != null || endTime != null)) {
            throw new IllegalArgumentException("only an activity has start and end times (" + id + ")");
        }
        attributes = List.copyOf(attributes == null ? List.of() : attributes);
        ProvRecord.checkProvAttributes(attributes, kind.provAttributes(), kind.provName() + " " + id);
    }

    public static ProvElement entity(String id, List<ProvAttribute> attributes) {
        return new ProvElement(ElementKind.ENTITY, id, null, null, attributes);
    }

    public static ProvElement agent(String id, List<ProvAttribute> attributes) {
        return new ProvElement(ElementKind.AGENT, id, null, null, attributes);
    }

    public static ProvElement activity(String id, Instant startTime, Instant endTime, List<ProvAttribute> attributes) {
        return new ProvElement(ElementKind.ACTIVITY, id, startTime, endTime, attributes);
    }

    /**
     * This element with another's facts added: attributes it does not have yet, and times it lacks. Both must have
     * the same kind and id.
     */
    public ProvElement mergedWith(ProvElement other) {
        if (other.kind != kind || !other.id.equals(id)) {
            throw new IllegalArgumentException("cannot merge " + kind + " " + id + " with " + other.kind + " " + other.id);
        }
        List<ProvAttribute> merged = new ArrayList<>(attributes);
        for (ProvAttribute a : other.attributes) {
            if (!merged.contains(a)) {
                merged.add(a);
            }
        }
        return new ProvElement(kind, id, startTime != null ? startTime : other.startTime,
                endTime != null ? endTime : other.endTime, merged);
    }
}
