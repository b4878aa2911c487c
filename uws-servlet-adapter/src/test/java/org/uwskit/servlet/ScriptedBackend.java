package org.uwskit.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * A test backend whose behaviour a job chooses with its {@code outcome} parameter: {@code complete} (start, write
 * a result named {@code result} of {@code resultSize} bytes, complete), {@code fail} (start, fail with detail), {@code failplain} (start, fail without detail), or
 * anything else (start and stay EXECUTING until the test drives {@link #events(String)}). Everything happens on the
 * caller's thread, which with a manual engine is the test's.
 */
final class ScriptedBackend implements ExecutionBackend {
    private final Map<String, ExecutionEvents> events = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public boolean accepts(String jobType) {
        return true;
    }

    /** The bytes the {@code complete} outcome writes: a repeating, position-dependent pattern. */
    static byte[] resultBytes(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Override
    public String submit(JobTemplate template, ExecutionEvents ev) throws BackendException {
        events.put(template.jobId(), ev);
        String outcome = template.parameters().get("outcome").map(String::valueOf).orElse("hold");
        ev.started();
        switch (outcome) {
            case "complete" -> {
                int size = Integer.parseInt(template.parameters().get("resultSize").map(String::valueOf).orElse("100"));
                try (OutputStream out = ev.openResult("result", "application/x-test")) {
                    out.write(resultBytes(size));
                } catch (IOException e) {
                    throw new BackendException("cannot write the result", e);
                }
                try (OutputStream out = ev.openResult("notes", "text/plain")) {
                    out.write("done".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new BackendException("cannot write the result", e);
                }
                ev.completed();
            }
            case "fail" -> ev.failed("it broke", "stack line 1\nstack line 2");
            case "failplain" -> ev.failed("it broke without detail", null);
            default -> {
                // stays EXECUTING
            }
        }
        return template.jobId();
    }

    ExecutionEvents events(String jobId) {
        return events.get(jobId);
    }

    @Override
    public void abort(String backendRef) {
        ExecutionEvents ev = events.get(backendRef);
        if (ev != null) {
            ev.aborted("aborted on request");
        }
    }

    @Override
    public Map<String, BackendState> states(Collection<String> backendRefs) {
        Map<String, BackendState> out = new HashMap<>();
        for (String r : backendRefs) {
            out.put(r, events.containsKey(r) ? BackendState.RUNNING : BackendState.UNKNOWN);
        }
        return out;
    }

    @Override
    public void close() {
        events.clear();
    }
}
