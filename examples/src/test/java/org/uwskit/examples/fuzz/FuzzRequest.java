package org.uwskit.examples.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated request: method, raw request target, headers in order (a {@code Host} header only if generated),
 * body (null for none) and the labels that say what shape it has: the resource template (job ids as
 * {@code {job}}) and the body kind. {@code Content-Length} and {@code Connection: close} are added when written.
 * Immutable.
 */
record FuzzRequest(String method, String target, List<String[]> headers, byte[] body, String template, String bodyKind) {

    /** The bytes sent on the wire. */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
        for (String[] h : headers) {
            out.writeBytes((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (body != null) {
            out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    FuzzRequest withoutHeader(int index) {
        List<String[]> h = new ArrayList<>(headers);
        h.remove(index);
        return new FuzzRequest(method, target, List.copyOf(h), body, template, bodyKind);
    }

    FuzzRequest withHeader(int index, String value) {
        List<String[]> h = new ArrayList<>(headers);
        h.set(index, new String[] {headers.get(index)[0], value});
        return new FuzzRequest(method, target, List.copyOf(h), body, template, bodyKind);
    }

    FuzzRequest withoutBody() {
        List<String[]> h = new ArrayList<>(headers);
        h.removeIf(x -> x[0].equalsIgnoreCase("Content-Type"));
        return new FuzzRequest(method, target, List.copyOf(h), null, template, "none");
    }

    FuzzRequest withoutQuery() {
        int q = target.indexOf('?');
        return q < 0 ? this : new FuzzRequest(method, target.substring(0, q), headers, body, template, bodyKind);
    }

    /** One line for a report: method, target, headers, the body kind, its length and start (escaped). */
    String describe() {
        StringBuilder s = new StringBuilder(method).append(' ').append(shorten(target, 200));
        for (String[] h : headers) {
            s.append(" | ").append(h[0]).append(": ").append(shorten(h[1], 120));
        }
        if (body != null) {
            s.append(" | body ").append(bodyKind).append(' ').append(body.length).append(" bytes: ")
                    .append(shorten(escape(new String(body, 0, Math.min(body.length, 160), StandardCharsets.ISO_8859_1)), 160));
        }
        return s.toString();
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
