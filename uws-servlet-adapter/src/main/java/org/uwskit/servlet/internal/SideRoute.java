package org.uwskit.servlet.internal;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * A resource beside the UWS job tree, such as the job type descriptions, the job manager's files or a job list's
 * event stream: it claims the paths it {@link #matches}, before any job list or job is looked up, and serves them
 * itself. {@link UwsDispatcher} asks its side routes in order; adding one is one line there. The path segments it
 * claims must never be a job list's name or a job id, so that no UWS resource is shadowed.
 */
interface SideRoute {
    /** Whether this route serves the request path {@code seg} (the segments after the mount). */
    boolean matches(List<String> seg);

    /** The methods its paths allow, as sent in {@code Allow} ({@code HEAD} is implied by {@code GET}). */
    String allowed();

    /**
     * Answers one request on a matching path whose method is {@link #allowed()}; a failure is thrown, for the
     * dispatcher to map to a status.
     */
    void serve(Exchange x, List<String> seg) throws IOException, ServletException;

    /** How a route answers a request. */
    @FunctionalInterface
    interface Handler {
        /** As {@link SideRoute#serve}. */
        void serve(Exchange x, List<String> seg) throws IOException, ServletException;
    }

    /** A route of {@code GET} (and {@code HEAD}) on the paths {@code matches} accepts. */
    static SideRoute get(Predicate<List<String>> matches, Handler handler) {
        return of("GET, HEAD", matches, handler);
    }

    /** A route that allows {@code allowed} (e.g. {@code "POST"}) on the paths {@code matches} accepts. */
    static SideRoute of(String allowed, Predicate<List<String>> matches, Handler handler) {
        return new SideRoute() {
            @Override
            public boolean matches(List<String> seg) {
                return matches.test(seg);
            }

            @Override
            public String allowed() {
                return allowed;
            }

            @Override
            public void serve(Exchange x, List<String> seg) throws IOException, ServletException {
                handler.serve(x, seg);
            }
        };
    }
}
