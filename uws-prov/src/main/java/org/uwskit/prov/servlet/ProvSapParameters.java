package org.uwskit.prov.servlet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.uwskit.prov.ProvFormat;
import org.uwskit.prov.ProvenanceQuery;

/**
 * The ProvSAP parameters of one request: {@code ID}, {@code DEPTH} and {@code DIRECTION} (read by
 * {@link ProvenanceQuery.Scope#parse}), {@code FORMAT} or its alias {@code RESPONSEFORMAT}. Names are
 * case-insensitive, unknown names are ignored, each known name may be given once.
 *
 * @param id     the trimmed ID
 * @param scope  DEPTH and DIRECTION
 * @param format the format asked for, or null to negotiate it from {@code Accept}
 */
record ProvSapParameters(String id, ProvenanceQuery.Scope scope, ProvFormat format) {
    static final String ID = "ID";
    static final String DEPTH = "DEPTH";
    static final String DIRECTION = "DIRECTION";
    static final String FORMAT = "FORMAT";
    static final String RESPONSEFORMAT = "RESPONSEFORMAT";
    private static final Set<String> KNOWN = Set.of(ID, DEPTH, DIRECTION, FORMAT, RESPONSEFORMAT);

    /**
     * Reads the parameters.
     *
     * @param given   the request's parameters, as {@code ServletRequest.getParameterMap()}
     * @param offered the formats this endpoint can write
     * @return the parameters
     * @throws ProvSapProblem 400 listing every problem, one per line
     */
    static ProvSapParameters parse(Map<String, String[]> given, List<ProvFormat> offered) throws ProvSapProblem {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String[]> e : given.entrySet()) {
            String name = e.getKey().toUpperCase(Locale.ROOT);
            if (name.equals(RESPONSEFORMAT)) {
                name = FORMAT;
            }
            if (!KNOWN.contains(name)) {
                continue;
            }
            if (e.getValue().length > 1 || params.containsKey(name)) {
                problems.add(name + " must be given once");
            } else {
                params.put(name, e.getValue()[0]);
            }
        }
        String id = params.get(ID);
        if (id == null || id.isBlank()) {
            problems.add("ID is required: a job URL, a result URL or a job id");
        }
        ProvenanceQuery.Scope scope = ProvenanceQuery.Scope.parse(params.get(DEPTH), params.get(DIRECTION), problems);
        ProvFormat format = null;
        String f = params.get(FORMAT);
        if (f != null) {
            try {
                format = ProvFormat.of(f);
                if (!offered.contains(format)) {
                    problems.add("FORMAT " + format.formatName() + " is not available here (Graphviz's dot was not found)");
                }
            } catch (IllegalArgumentException e) {
                problems.add("FORMAT: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ProvSapProblem(400, String.join("\n", problems));
        }
        return new ProvSapParameters(id.trim(), scope, format);
    }
}
