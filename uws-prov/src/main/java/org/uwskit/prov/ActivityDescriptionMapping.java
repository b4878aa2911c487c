package org.uwskit.prov;

import static org.uwskit.prov.MappingValues.type;
import static org.uwskit.prov.MappingValues.valueType;
import static org.uwskit.prov.ProvTerms.voprov;

import java.util.ArrayList;
import java.util.List;
import org.uwskit.JobDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

/**
 * The description bundle of a job's document: the ProvDM ActivityDescription of the job type, with a
 * UsageDescription per URI or file parameter and a ParameterDescription per other parameter, as
 * {@link ProvenanceBuilder} describes it. Part of {@link JobProvenanceMapping}; stateless; not API.
 */
final class ActivityDescriptionMapping {
    private ActivityDescriptionMapping() {
    }

    /**
     * Adds the bundle {@code {descNs}bundle} to the document.
     *
     * @param doc          the document being built
     * @param cfg          the settings (service version, documentation URL, activity type)
     * @param def          the job type's definition, or null (then only the activity description, named after the
     *                     job type)
     * @param jobType      the job's type
     * @param descNs       the namespace of the description's ids
     * @param descActivity the id of the activity description
     */
    static void write(ProvDocument.Builder doc, ProvenanceBuilder cfg, JobDefinition def, String jobType,
                      String descNs, String descActivity) {
        String bundle = descNs + "bundle";
        String name = def != null ? def.name() : jobType;
        List<ProvAttribute> a = new ArrayList<>();
        a.add(ProvAttribute.of(ProvTerms.PROV_LABEL, name));
        a.add(type(voprov("ActivityDescription")));
        a.add(type(ProvTerms.PROV_PLAN));
        a.add(ProvAttribute.of(voprov("name"), name));
        if (cfg.serviceVersion != null) {
            a.add(ProvAttribute.of(voprov("version"), cfg.serviceVersion));
        }
        if (def != null && def.description() != null) {
            a.add(ProvAttribute.of(voprov("description"), def.description()));
        }
        if (cfg.docUrl != null) {
            a.add(ProvAttribute.of(voprov("docurl"), ProvValue.anyUri(cfg.docUrl)));
        }
        if (cfg.activityType != null) {
            a.add(ProvAttribute.of(voprov("type"), cfg.activityType));
        }
        doc.addToBundle(bundle, ProvElement.entity(descActivity, a));
        if (def == null) {
            return;
        }
        for (ParameterDefinition d : def.parameters().values()) {
            List<ProvAttribute> p = new ArrayList<>();
            String enc = ProvIds.encodeLocal(d.name());
            if (d.type() == ParameterType.URI || d.type() == ParameterType.FILE) {
                p.add(type(voprov("UsageDescription")));
                p.add(ProvAttribute.of(voprov("role"), d.name()));
                p.add(ProvAttribute.of(voprov("type"), "Main"));
                p.add(ProvAttribute.of(voprov("multiplicity"),
                        d.maxOccurs() == ParameterDefinition.UNBOUNDED ? "*" : Integer.toString(d.maxOccurs())));
                if (d.description() != null) {
                    p.add(ProvAttribute.of(voprov("description"), d.description()));
                }
                doc.addToBundle(bundle, ProvElement.entity(descNs + "used." + enc, p));
                continue;
            }
            p.add(type(voprov("ParameterDescription")));
            p.add(ProvAttribute.of(voprov("name"), d.name()));
            p.add(ProvAttribute.of(voprov("valueType"), valueType(d.type())));
            if (d.unit() != null) {
                p.add(ProvAttribute.of(voprov("unit"), d.unit()));
            }
            if (d.ucd() != null) {
                p.add(ProvAttribute.of(voprov("ucd"), d.ucd()));
            }
            if (d.min() != null) {
                p.add(ProvAttribute.of(voprov("min"), ProvValue.ofDouble(d.min())));
            }
            if (d.max() != null) {
                p.add(ProvAttribute.of(voprov("max"), ProvValue.ofDouble(d.max())));
            }
            if (d.defaultValue() != null) {
                p.add(ProvAttribute.of(voprov("default"), d.defaultValue()));
            }
            if (!d.options().isEmpty()) {
                p.add(ProvAttribute.of(voprov("options"), String.join(",", d.options())));
            }
            if (d.description() != null) {
                p.add(ProvAttribute.of(voprov("description"), d.description()));
            }
            doc.addToBundle(bundle, ProvElement.entity(descNs + "param." + enc, p));
        }
    }

}
