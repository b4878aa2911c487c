package org.uwskit;

import java.util.List;

/**
 * A malformed value: a bad phase name, duration, date, filter, WAIT, or parameters that fail validation. The
 * message lists every problem found, not just the first. HTTP 400.
 */
public class InvalidRequestException extends UwsException {
    private final List<String> problems;

    public InvalidRequestException(String problem) {
        this(List.of(problem));
    }

    public InvalidRequestException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, one sentence each, in the order they were found. */
    public List<String> problems() {
        return problems;
    }
}
