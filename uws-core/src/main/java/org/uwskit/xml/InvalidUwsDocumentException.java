package org.uwskit.xml;

import java.util.ArrayList;
import java.util.List;
import org.uwskit.InvalidRequestException;

/**
 * A document that is not well-formed XML or does not conform to the UWS 1.1 schema, as found by
 * {@link UwsSchema#validate}. The message lists every violation found (up to {@link UwsSchema#MAX_VIOLATIONS}) with
 * its line and column; {@link #violations()} gives them one by one. As an {@link InvalidRequestException} it maps to
 * HTTP 400 when the document came from a client.
 */
public class InvalidUwsDocumentException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;
    private final List<Violation> violations;

    /**
     * @param violations what was wrong, in document order; must not be empty
     * @throws IllegalArgumentException if {@code violations} is empty
     */
    public InvalidUwsDocumentException(List<Violation> violations) {
        super(messages(violations));
        // an unmodifiable copy of serializable records, so the exception stays serializable
        this.violations = List.copyOf(violations);
    }

    private static List<String> messages(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid document needs at least one violation");
        }
        List<String> out = new ArrayList<>(violations.size());
        for (Violation v : violations) {
            out.add(v.toString());
        }
        return out;
    }

    /** Every violation found, in document order. */
    public List<Violation> violations() {
        return violations;
    }

    /** The line of the first violation (1-based), or -1 if the parser did not know it. */
    public int line() {
        return violations.get(0).line();
    }

    /** The column of the first violation (1-based), or -1 if the parser did not know it. */
    public int column() {
        return violations.get(0).column();
    }

    /**
     * One schema or well-formedness violation.
     *
     * @param line    1-based line, or -1 if unknown
     * @param column  1-based column, or -1 if unknown
     * @param message the parser's explanation (e.g. {@code cvc-complex-type.2.4.a: Invalid content was found …})
     */
    public record Violation(int line, int column, String message) implements java.io.Serializable {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + message;
        }
    }
}
