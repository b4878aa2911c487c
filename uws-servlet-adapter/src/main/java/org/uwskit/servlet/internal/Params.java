package org.uwskit.servlet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.uwskit.Parameter;

/**
 * The name/value pairs of one request (query string, then body), in arrival order, with case-insensitive lookup of
 * names (DALI). Not thread-safe; one instance per request.
 */
public final class Params {
    private final List<String[]> pairs = new ArrayList<>();

    public void add(String name, String value) {
        pairs.add(new String[] {name, value});
    }

    public void addAll(Params other) {
        pairs.addAll(other.pairs);
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    public boolean has(String name) {
        return first(name).isPresent();
    }

    /** The first value of {@code name}, ignoring the case of the name. */
    public Optional<String> first(String name) {
        for (String[] p : pairs) {
            if (p[0].equalsIgnoreCase(name)) {
                return Optional.of(p[1]);
            }
        }
        return Optional.empty();
    }

    /** All values of {@code name}, in order, ignoring the case of the name. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String[] p : pairs) {
            if (p[0].equalsIgnoreCase(name)) {
                out.add(p[1]);
            }
        }
        return out;
    }

    /** The pairs whose names are not in {@code upperCaseNames}, as by-value job parameters. */
    public List<Parameter> parametersExcept(Set<String> upperCaseNames) {
        List<Parameter> out = new ArrayList<>();
        for (String[] p : pairs) {
            if (!upperCaseNames.contains(p[0].toUpperCase(Locale.ROOT))) {
                out.add(Parameter.of(p[0], p[1]));
            }
        }
        return out;
    }
}
