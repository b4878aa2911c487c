package org.uwskit.prov;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A PROV relation. Immutable.
 *
 * @param kind       which relation
 * @param id         the relation's identifier, or null for an anonymous relation (give ids only to relations other
 *                   records refer to, such as the generation and usage of a derivation)
 * @param arguments  the formal arguments in {@link RelationKind#arguments()} order, absolute URIs or null when absent;
 *                   exactly as many as the kind has
 * @param time       the time of a timed relation, or null
 * @param attributes the attributes; {@code prov:} ones only among {@link RelationKind#provAttributes()}
 */
public record ProvRelation(RelationKind kind, String id, List<String> arguments, Instant time,
                           List<ProvAttribute> attributes) implements ProvRecord {
    public ProvRelation {
        Objects.requireNonNull(kind, "kind");
        if (id != null) {
            ProvIds.requireRepresentable(id, kind.provName() + " id");
        }
        Objects.requireNonNull(arguments, "arguments");
        if (arguments.size() != kind.arguments().size()) {
            throw new IllegalArgumentException(kind.provName() + " takes " + kind.arguments().size()
                    + " arguments " + kind.arguments() + ", got " + arguments.size());
        }
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a == null) {
                if (i < kind.requiredArguments()) {
                    throw new IllegalArgumentException(kind.provName() + " needs its " + kind.arguments().get(i));
                }
            } else {
                ProvIds.requireRepresentable(a, kind.provName() + " " + kind.arguments().get(i));
            }
        }
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
        if (time != null && !kind.timed()) {
            throw new IllegalArgumentException(kind.provName() + " has no time");
        }
        attributes = List.copyOf(attributes == null ? List.of() : attributes);
        ProvRecord.checkProvAttributes(attributes, kind.provAttributes(), kind.provName());
    }

    /** A relation with the given arguments (missing trailing ones are absent). */
    public static ProvRelation of(RelationKind kind, String id, Instant time, List<ProvAttribute> attributes,
                                  String... arguments) {
        String[] all = Arrays.copyOf(arguments, kind.arguments().size());
        return new ProvRelation(kind, id, Arrays.asList(all), time, attributes);
    }

    /** The argument called {@code name} (e.g. {@code "entity"}), or null. */
    public String argument(String name) {
        int i = kind.arguments().indexOf(name);
        return i < 0 ? null : arguments.get(i);
    }
}
