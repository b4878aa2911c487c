package org.uwskit.prov;

import static org.uwskit.prov.MappingValues.isAbsoluteUri;
import static org.uwskit.prov.MappingValues.lastSegment;
import static org.uwskit.prov.MappingValues.role;
import static org.uwskit.prov.MappingValues.type;
import static org.uwskit.prov.MappingValues.typed;
import static org.uwskit.prov.MappingValues.valueType;
import static org.uwskit.prov.ProvTerms.uws;
import static org.uwskit.prov.ProvTerms.voprov;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.spi.JobLinks;

/**
 * The mapping of one finished job to its provenance document, as {@link ProvenanceBuilder} describes it: the state
 * of one document being built (namespaces, the activity, agents, parameters, inputs, results, the description
 * bundle) and the rules that map each part of the job; the description bundle of the job type is
 * {@link ActivityDescriptionMapping}'s. Made per document; not thread-safe; not API.
 */
final class JobProvenanceMapping {
    private final ProvenanceBuilder cfg;
    private final Job job;
    private final JobDefinition def;
    private final JobLinks links;
    private final String jobNs;
    private final String resNs;
    private final String parNs;
    private final String relNs;
    private final String descNs;
    private final String userNs;
    private final String svcNs;
    private final ProvDocument.Builder doc = ProvDocument.builder();
    private final String activity;

    JobProvenanceMapping(ProvenanceBuilder cfg, Job job, JobDefinition def, JobLinks links) {
        this.cfg = cfg;
        this.job = job;
        this.def = def;
        this.links = links;
        String jobUrl = links.job(ProvIds.encodeLocal(job.jobId()));
        jobNs = links.jobList() + "/";
        resNs = jobUrl + "/results/";
        parNs = jobUrl + "/parameters/";
        relNs = jobUrl + "/provenance#";
        descNs = links.jobList() + "/description/" + ProvIds.encodeLocal(job.jobType()) + "#";
        svcNs = cfg.serviceNamespace(links);
        userNs = cfg.ownerNamespace != null ? cfg.ownerNamespace : svcNs + "users/";
        activity = cfg.activityId(job.jobId(), links);
    }

    Map<String, String> namespaces() {
        Map<String, String> ns = new LinkedHashMap<>();
        ns.put("voprov", ProvTerms.VOPROV);
        ns.put("uws", ProvTerms.UWS);
        ns.put(cfg.servicePrefix, svcNs);
        ns.put("job", jobNs);
        ns.put("res", resNs);
        ns.put("user", userNs);
        ns.put("par", parNs);
        ns.put("desc", descNs);
        ns.put("rel", relNs);
        ns.put("foaf", ProvTerms.FOAF);
        return ns;
    }

    ProvDocument build(ProvDocument extra) {
        namespaces().forEach(doc::namespace);
        String descActivity = cfg.description ? descNs + "activity" : null;
        activity();
        String owner = owner();
        String service = svcNs + ProvenanceBuilder.DEFAULT_SERVICE_AGENT;
        doc.add(ProvElement.agent(service, serviceAttributes()));
        if (owner != null) {
            doc.add(rel(RelationKind.WAS_ASSOCIATED_WITH, null, null, List.of(role(ProvenanceBuilder.OWNER_ROLE)), activity, owner));
        }
        doc.add(rel(RelationKind.WAS_ASSOCIATED_WITH, null, null, List.of(role(ProvenanceBuilder.PROVIDER_ROLE)), activity, service,
                descActivity));
        if (owner != null) {
            doc.add(rel(RelationKind.ACTED_ON_BEHALF_OF, null, null, List.of(), service, owner, activity));
        }
        if (descActivity != null) {
            doc.add(rel(RelationKind.WAS_INFLUENCED_BY, null, null, List.of(type(voprov("DescriptionRelation"))),
                    activity, descActivity));
        }
        List<String[]> inputs = parameters();
        List<Result> results = job.results().stream().filter(r -> !cfg.skippedResults.contains(r.id())).toList();
        boolean derive = !inputs.isEmpty() && (long) inputs.size() * results.size() <= cfg.maxDerivations;
        List<String> usageIds = new ArrayList<>();
        int u = 0;
        for (String[] in : inputs) {
            String usage = derive || in[2] != null ? relNs + "u" + (++u) : null;
            usageIds.add(usage);
            List<ProvAttribute> attrs = new ArrayList<>();
            attrs.add(role(in[1]));
            if (in[2] != null) {
                attrs.add(ProvAttribute.of(voprov("usageDescription"), ProvValue.qname(in[2])));
            }
            doc.add(rel(RelationKind.USED, usage, job.startTime() == null ? null : start(), attrs, activity, in[0]));
        }
        int g = 0;
        for (Result r : results) {
            String entity = resNs + ProvIds.encodeLocal(r.id());
            doc.add(ProvElement.entity(entity, resultAttributes(r)));
            String generation = derive ? relNs + "g" + (++g) : null;
            doc.add(rel(RelationKind.WAS_GENERATED_BY, generation, end(), List.of(role(r.id())), entity, activity));
            if (owner != null && cfg.attributeResults) {
                doc.add(rel(RelationKind.WAS_ATTRIBUTED_TO, null, null, List.of(), entity, owner));
            }
            if (derive) {
                for (int i = 0; i < inputs.size(); i++) {
                    doc.add(rel(RelationKind.WAS_DERIVED_FROM, null, null, List.of(), entity, inputs.get(i)[0],
                            activity, generation, usageIds.get(i)));
                }
            }
        }
        if (cfg.description) {
            ActivityDescriptionMapping.write(doc, cfg, def, job.jobType(), descNs, descActivity);
        }
        if (extra != null) {
            doc.addAll(extra);
        }
        return doc.build();
    }

    private Instant start() {
        if (job.startTime() != null) {
            return job.startTime();
        }
        for (PhaseChange c : job.history()) {
            if (c.to() == Phase.EXECUTING) {
                return c.at();
            }
        }
        return null;
    }

    private Instant end() {
        if (job.endTime() != null) {
            return job.endTime();
        }
        for (int i = job.history().size() - 1; i >= 0; i--) {
            if (job.history().get(i).to().isFinished()) {
                return job.history().get(i).at();
            }
        }
        return null;
    }

    private void activity() {
        List<ProvAttribute> a = new ArrayList<>();
        a.add(ProvAttribute.of(ProvTerms.PROV_LABEL, job.jobType() + " " + job.jobId()));
        a.add(type(voprov("Activity")));
        a.add(ProvAttribute.of(voprov("name"), job.jobType()));
        String comment = comment();
        if (comment != null) {
            a.add(ProvAttribute.of(voprov("comment"), comment));
        }
        a.add(ProvAttribute.of(uws("jobId"), job.jobId()));
        if (job.runId() != null) {
            a.add(ProvAttribute.of(uws("runId"), job.runId()));
        }
        a.add(ProvAttribute.of(uws("phase"), job.phase().name()));
        a.add(ProvAttribute.of(uws("jobList"), job.jobList()));
        if (job.ownerId() != null) {
            a.add(ProvAttribute.of(uws("ownerId"), job.ownerId()));
        }
        a.add(ProvAttribute.of(uws("creationTime"), ProvValue.dateTime(job.creationTime())));
        a.add(ProvAttribute.of(uws("executionDuration"), ProvValue.ofLong(job.executionDuration())));
        if (job.quote() != null) {
            a.add(ProvAttribute.of(uws("quote"), ProvValue.dateTime(job.quote())));
        }
        if (job.destruction() != null) {
            a.add(ProvAttribute.of(uws("destruction"), ProvValue.dateTime(job.destruction())));
        }
        if (job.error() != null) {
            a.add(ProvAttribute.of(uws("errorType"), job.error().type().wireName()));
        }
        for (PhaseChange c : job.history()) {
            a.add(ProvAttribute.of(uws("phaseChange"), org.uwskit.Instants.format(c.at()) + " "
                    + (c.from() == null ? "" : c.from() + " -> ") + c.to()
                    + (c.reason() == null ? "" : " (" + c.reason() + ")")));
        }
        job.jobInfo().forEach((k, v) -> {
            if (ProvIds.isNcName(k)) {
                a.add(ProvAttribute.of(uws("jobInfo." + k), v));
            }
        });
        doc.add(ProvElement.activity(activity, start(), end(), a));
    }

    private String comment() {
        ErrorSummary e = job.error();
        if (e != null) {
            return e.message();
        }
        if (job.phase() == Phase.ABORTED) {
            for (int i = job.history().size() - 1; i >= 0; i--) {
                PhaseChange c = job.history().get(i);
                if (c.to() == Phase.ABORTED) {
                    return c.reason() == null ? "aborted" : "aborted: " + c.reason();
                }
            }
            return "aborted";
        }
        return null;
    }

    private String owner() {
        if (job.ownerId() == null) {
            return null;
        }
        String id = userNs + ProvIds.encodeLocal(job.ownerId());
        String name = cfg.ownerNames.apply(job.ownerId());
        if (name == null || name.isBlank()) {
            name = job.ownerId();
        }
        doc.add(ProvElement.agent(id, List.of(ProvAttribute.of(ProvTerms.PROV_LABEL, name),
                type(ProvTerms.PROV_PERSON), ProvAttribute.of(voprov("name"), name))));
        return id;
    }

    private List<ProvAttribute> serviceAttributes() {
        List<ProvAttribute> a = new ArrayList<>();
        a.add(ProvAttribute.of(ProvTerms.PROV_LABEL, cfg.serviceVersion == null ? cfg.serviceName : cfg.serviceName + " " + cfg.serviceVersion));
        a.add(type(ProvTerms.PROV_SOFTWARE_AGENT));
        a.add(ProvAttribute.of(voprov("name"), cfg.serviceName));
        a.add(ProvAttribute.of(voprov("url"), ProvValue.anyUri(cfg.serviceUrl(links))));
        if (cfg.serviceVersion != null) {
            a.add(ProvAttribute.of(voprov("version"), cfg.serviceVersion));
        }
        return a;
    }

    /** Writes the Parameters; returns the inputs as {entity id, role, usage description id or null}. */
    private List<String[]> parameters() {
        List<String[]> inputs = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Parameter p : job.parameters()) {
            String key = p.name().toUpperCase(Locale.ROOT);
            ParameterDefinition d = def == null ? null : def.parameters().get(key);
            boolean described = cfg.description && d != null;
            if (isInput(p, d)) {
                String entity;
                List<ProvAttribute> a = new ArrayList<>();
                if (p.upload() != null) {
                    entity = parNs + ProvIds.encodeLocal(p.name());
                    String file = p.upload().fileName() != null ? p.upload().fileName() : p.name();
                    a.add(ProvAttribute.of(ProvTerms.PROV_LABEL, file));
                    a.add(ProvAttribute.of(ProvTerms.PROV_LOCATION, ProvValue.anyUri(links.parameter(job.jobId(), p.name()))));
                    a.add(type(voprov("DatasetEntity")));
                    a.add(ProvAttribute.of(voprov("name"), file));
                    if (p.upload().mimeType() != null) {
                        a.add(ProvAttribute.of(voprov("contentType"), p.upload().mimeType()));
                    }
                    a.add(ProvAttribute.of(uws("size"), ProvValue.ofLong(p.upload().size())));
                } else {
                    entity = cfg.inputEntityId(p.value(), links);
                    String file = lastSegment(p.value());
                    a.add(ProvAttribute.of(ProvTerms.PROV_LABEL, file));
                    a.add(ProvAttribute.of(ProvTerms.PROV_LOCATION, ProvValue.anyUri(p.value())));
                    a.add(type(voprov("DatasetEntity")));
                    a.add(ProvAttribute.of(voprov("name"), file));
                }
                doc.add(ProvElement.entity(entity, a));
                inputs.add(new String[] {entity, p.name(),
                        described ? descNs + "used." + ProvIds.encodeLocal(d.name()) : null});
                continue;
            }
            int n = seen.merge(key, 1, Integer::sum);
            String id = parNs + ProvIds.encodeLocal(p.name()) + (n == 1 ? "" : "." + n);
            if (!ProvIds.isRepresentable(id)) {
                id = parNs + ProvIds.encodeLocal(p.name() + "." + n);
            }
            doc.add(ProvElement.entity(id, List.of(
                    ProvAttribute.of(ProvTerms.PROV_LABEL, p.name() + " = " + p.value()),
                    type(voprov("Parameter")),
                    ProvAttribute.of(voprov("name"), p.name()),
                    ProvAttribute.of(voprov("value"), typed(d, p.value())))));
            doc.add(rel(RelationKind.WAS_INFLUENCED_BY, null, null, List.of(type(voprov("ConfigurationRelation")),
                    ProvAttribute.of(voprov("artefactType"), "Parameter")), activity, id));
            if (described) {
                doc.add(rel(RelationKind.WAS_INFLUENCED_BY, null, null, List.of(type(voprov("DescriptionRelation"))),
                        id, descNs + "param." + ProvIds.encodeLocal(d.name())));
            }
        }
        return inputs;
    }

    private boolean isInput(Parameter p, ParameterDefinition d) {
        if (p.upload() != null) {
            return true;
        }
        boolean uriTyped = d != null && (d.type() == ParameterType.URI || d.type() == ParameterType.FILE);
        return (p.byReference() || uriTyped) && isAbsoluteUri(p.value());
    }

    private List<ProvAttribute> resultAttributes(Result r) {
        String location = r.isStored() ? links.result(job.jobId(), r.id()) : r.location().toString();
        List<ProvAttribute> a = new ArrayList<>();
        a.add(ProvAttribute.of(ProvTerms.PROV_LABEL, r.id()));
        a.add(ProvAttribute.of(ProvTerms.PROV_LOCATION, ProvValue.anyUri(location)));
        a.add(type(voprov("DatasetEntity")));
        a.add(ProvAttribute.of(voprov("name"), r.id()));
        if (r.mimeType() != null) {
            a.add(ProvAttribute.of(voprov("contentType"), r.mimeType()));
        }
        a.add(ProvAttribute.of(uws("resultId"), r.id()));
        if (r.size() >= 0) {
            a.add(ProvAttribute.of(uws("size"), ProvValue.ofLong(r.size())));
        }
        if (cfg.checksums != null) {
            Map<String, String> sums = cfg.checksums.of(job, r);
            if (sums != null) {
                sums.forEach((alg, hex) -> {
                    if (ProvIds.isNcName(alg) && hex != null) {
                        a.add(ProvAttribute.of(uws(alg), hex));
                    }
                });
            }
        }
        return a;
    }

    private ProvRelation rel(RelationKind kind, String id, Instant time, List<ProvAttribute> attrs, String... args) {
        return ProvRelation.of(kind, id, time, attrs, args);
    }
}
