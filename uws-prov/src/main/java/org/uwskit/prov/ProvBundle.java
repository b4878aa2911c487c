package org.uwskit.prov;

import java.util.List;

/**
 * A named bundle of records (PROV §5.4), used for the service description (the ProvDM description classes).
 * Immutable.
 *
 * @param id      the bundle's identifier (representable absolute URI)
 * @param records its records, in order
 */
public record ProvBundle(String id, List<ProvRecord> records) {
    public ProvBundle {
        ProvIds.requireRepresentable(id, "bundle id");
        records = List.copyOf(records);
    }
}
