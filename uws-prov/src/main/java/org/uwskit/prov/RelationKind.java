package org.uwskit.prov;

import java.util.List;
import java.util.Set;

/**
 * The PROV relations this module writes, with their formal arguments in PROV-N order (which is also the PROV-XML
 * element order), whether they take a time, how many leading arguments are required, and the PROV attributes the
 * PROV-XML schema allows on them.
 */
public enum RelationKind {
    USED("used", List.of("activity", "entity"), true, 1, Set.of("label", "location", "role", "type")),
    WAS_GENERATED_BY("wasGeneratedBy", List.of("entity", "activity"), true, 1, Set.of("label", "location", "role", "type")),
    WAS_INVALIDATED_BY("wasInvalidatedBy", List.of("entity", "activity"), true, 1, Set.of("label", "location", "role", "type")),
    WAS_STARTED_BY("wasStartedBy", List.of("activity", "trigger", "starter"), true, 1, Set.of("label", "location", "role", "type")),
    WAS_ENDED_BY("wasEndedBy", List.of("activity", "trigger", "ender"), true, 1, Set.of("label", "location", "role", "type")),
    WAS_INFORMED_BY("wasInformedBy", List.of("informed", "informant"), false, 2, Set.of("label", "type")),
    WAS_DERIVED_FROM("wasDerivedFrom", List.of("generatedEntity", "usedEntity", "activity", "generation", "usage"), false, 2, Set.of("label", "type")),
    WAS_ATTRIBUTED_TO("wasAttributedTo", List.of("entity", "agent"), false, 2, Set.of("label", "type")),
    WAS_ASSOCIATED_WITH("wasAssociatedWith", List.of("activity", "agent", "plan"), false, 1, Set.of("label", "role", "type")),
    ACTED_ON_BEHALF_OF("actedOnBehalfOf", List.of("delegate", "responsible", "activity"), false, 2, Set.of("label", "type")),
    WAS_INFLUENCED_BY("wasInfluencedBy", List.of("influencee", "influencer"), false, 2, Set.of("label", "type"));

    private final String provName;
    private final List<String> arguments;
    private final boolean timed;
    private final int required;
    private final Set<String> provAttributes;

    RelationKind(String provName, List<String> arguments, boolean timed, int required, Set<String> provAttributes) {
        this.provName = provName;
        this.arguments = arguments;
        this.timed = timed;
        this.required = required;
        this.provAttributes = provAttributes;
    }

    /** The PROV-N keyword, PROV-JSON section and PROV-XML element name. */
    public String provName() {
        return provName;
    }

    /** The formal arguments' names (PROV-JSON keys without {@code prov:}, PROV-XML element names), in order. */
    public List<String> arguments() {
        return arguments;
    }

    /** Whether the relation has a {@code prov:time}. */
    public boolean timed() {
        return timed;
    }

    /** How many leading arguments must be present. */
    public int requiredArguments() {
        return required;
    }

    /** The local names of the {@code prov:} attributes allowed on this relation. */
    public Set<String> provAttributes() {
        return provAttributes;
    }

    /** The kind whose PROV name is {@code name}, or null. */
    public static RelationKind byProvName(String name) {
        for (RelationKind k : values()) {
            if (k.provName.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
