package org.uwskit;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The validated, typed parameters of a job: declared parameters parsed to their types with defaults applied, and, in
 * a lenient definition, undeclared ones as strings. Keys are upper-cased names, so lookups ignore case. Immutable.
 */
public final class TypedParameters {
    private final Map<String, List<Object>> values;

    public TypedParameters(Map<String, List<Object>> values) {
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k.toUpperCase(Locale.ROOT), List.copyOf(v)));
        this.values = Collections.unmodifiableMap(copy);
    }

    /** Every name (upper case) with its values, in declaration order then arrival order. */
    public Map<String, List<Object>> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name.toUpperCase(Locale.ROOT));
    }

    /** All values of {@code name}, or an empty list. */
    public List<Object> all(String name) {
        return values.getOrDefault(name.toUpperCase(Locale.ROOT), List.of());
    }

    /** The first value of {@code name}. */
    public Optional<Object> get(String name) {
        List<Object> v = all(name);
        return v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    private <T> T required(String name, Class<T> type) {
        Object v = get(name).orElseThrow(() -> new IllegalArgumentException("no value for parameter " + name));
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("parameter " + name + " is a " + v.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }

    public String getString(String name) {
        return String.valueOf(get(name).orElseThrow(() -> new IllegalArgumentException("no value for parameter " + name)));
    }

    public long getLong(String name) {
        return required(name, Long.class);
    }

    public double getDouble(String name) {
        Object v = get(name).orElseThrow(() -> new IllegalArgumentException("no value for parameter " + name));
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("parameter " + name + " is not a number");
    }

    public boolean getBoolean(String name) {
        return required(name, Boolean.class);
    }

    public Instant getInstant(String name) {
        return required(name, Instant.class);
    }

    public URI getUri(String name) {
        return required(name, URI.class);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
