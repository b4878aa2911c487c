package org.uwskit.examples.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the failures of a fuzz run into a report a person can act on: each failure is shrunk (its body, query and
 * headers dropped one by one while the same problem remains, by replaying it), then failures are grouped by problem
 * and by what is left of the request apart from its path, so that one cause (say, a malformed {@code Authorization})
 * is one line however many resources showed it. Not thread-safe; used once at the end of a run.
 */
final class FailureReport {
    /** Replays a request and says what is wrong with the answer (null if nothing, "no answer" if none came). */
    interface Replay {
        String problem(FuzzRequest request);
    }

    /** One answer that broke a rule, with the server it came from. */
    record Failure(int index, String server, String host, Replay replay, FuzzRequest request, String problem) {
    }

    private static final int EXAMPLES = 6;

    private FailureReport() {
    }

    static String of(long seed, int requests, List<Failure> failures, Set<String> defaultHosts,
                     Set<String> validAuth, Duration shrinkBudget) {
        long deadline = System.nanoTime() + shrinkBudget.toNanos();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> firsts = new LinkedHashMap<>();
        int unshrunk = 0;
        for (Failure f : failures) {
            FuzzRequest small = f.request();
            if (System.nanoTime() < deadline && !f.problem().startsWith("no ")) {
                small = shrink(f);
            } else {
                unshrunk++;
            }
            String key = kind(f.problem()) + "  <-  " + shape(small, defaultHosts, validAuth);
            counts.merge(key, 1, Integer::sum);
            firsts.putIfAbsent(key, "#" + f.index() + " on " + f.server() + ": " + f.request().describe()
                    + "\n      problem: " + f.problem());
            List<String> ex = examples.computeIfAbsent(key, k -> new ArrayList<>());
            String where = small.method() + " " + small.template();
            if (ex.size() < EXAMPLES && !ex.contains(where)) {
                ex.add(where);
            }
        }
        StringBuilder out = new StringBuilder().append("seed ").append(seed).append(" (rerun: -Duwskit.fuzz.seed=")
                .append(seed).append("): ").append(failures.size()).append(" of ").append(requests)
                .append(" answers broke the rules; ").append(counts.size())
                .append(" request shapes (problem  <-  what the request needs besides its path, after shrinking")
                .append(unshrunk > 0 ? "; " + unshrunk + " not shrunk" : "").append("):\n");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> out
                .append(String.format("%5d x %s%n", e.getValue(), e.getKey()))
                .append("        on: ").append(String.join(", ", examples.get(e.getKey()))).append('\n')
                .append("        first: ").append(firsts.get(e.getKey())).append('\n'));
        return out.toString();
    }

    /**
     * Drops the body, the query and each header in turn (an unusual {@code Host} is first set to the server's own),
     * keeping each change after which the same problem remains.
     */
    static FuzzRequest shrink(Failure f) {
        String kind = kind(f.problem());
        FuzzRequest best = f.request();
        if (best.body() != null && same(f, best.withoutBody(), kind)) {
            best = best.withoutBody();
        }
        if (best.target().contains("?") && same(f, best.withoutQuery(), kind)) {
            best = best.withoutQuery();
        }
        for (int i = best.headers().size() - 1; i >= 0; i--) {
            String[] h = best.headers().get(i);
            boolean oddHost = h[0].equalsIgnoreCase("Host") && !h[1].equals(f.host());
            FuzzRequest usualHost = oddHost ? best.withHeader(i, f.host()) : null;
            if (usualHost != null && same(f, usualHost, kind)) {
                best = usualHost;
            } else if (same(f, best.withoutHeader(i), kind)) {
                best = best.withoutHeader(i);
            }
        }
        return best;
    }

    private static boolean same(Failure f, FuzzRequest candidate, String kind) {
        String p = f.replay().problem(candidate);
        return p != null && kind(p).equals(kind);
    }

    /** The problem without its details: the status and the rule broken. */
    static String kind(String problem) {
        int colon = problem.indexOf(':');
        return colon < 0 ? problem : problem.substring(0, colon);
    }

    /** What the request carries besides its path: headers (the usual Host and valid logins named, not shown). */
    static String shape(FuzzRequest q, Set<String> defaultHosts, Set<String> validAuth) {
        Set<String> parts = new LinkedHashSet<>();
        for (String[] h : q.headers()) {
            if (h[0].equalsIgnoreCase("Host") && defaultHosts.contains(h[1])) {
                // the usual Host: not part of the shape
            } else if (h[0].equalsIgnoreCase("Authorization") && validAuth.contains(h[1])) {
                parts.add("valid login");
            } else {
                parts.add(h[0] + ": " + FuzzRequest.shorten(h[1], 60));
            }
        }
        long hosts = q.headers().stream().filter(h -> h[0].equalsIgnoreCase("Host")).count();
        if (hosts == 0) {
            parts.add("no Host header");
        } else if (hosts > 1) {
            parts.add(hosts + " Host headers");
        }
        int query = q.target().indexOf('?');
        if (query >= 0) {
            parts.add("query " + FuzzRequest.shorten(q.target().substring(query), 60));
        }
        if (q.body() != null) {
            parts.add(q.bodyKind() + " body");
        }
        return parts.isEmpty() ? "any request (nothing but the path and method)" : String.join(" + ", parts);
    }
}
