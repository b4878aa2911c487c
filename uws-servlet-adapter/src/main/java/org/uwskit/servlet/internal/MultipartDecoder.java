package org.uwskit.servlet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.uwskit.InvalidRequestException;
import org.uwskit.PayloadTooLargeException;

/**
 * Splits a {@code multipart/form-data} body (RFC 7578) that was read whole into a {@link Spool} into its parts,
 * without copying their bytes: each part is a region of the spool. The container's own multipart support is not
 * used, so that its temporary files, limits and exception types never reach the client. Limits: the number of parts
 * and 8 KiB of headers per part. Header values are read as UTF-8 (what browsers send for non-ASCII file names).
 * Stateless.
 */
public final class MultipartDecoder {
    /** The most bytes of headers one part may have. */
    public static final int MAX_PART_HEADER_BYTES = 8 * 1024;
    private static final int WINDOW = 64 * 1024;

    /** One part: its disposition parameters, content type (or null) and the region of the body it holds. */
    public record Part(String name, String fileName, String contentType, long offset, long length) {
    }

    private MultipartDecoder() {
    }

    /** The boundary of a {@code multipart/form-data} content type. */
    public static String boundary(String contentType) {
        for (String bit : contentType.split(";")) {
            String b = bit.trim();
            if (b.regionMatches(true, 0, "boundary=", 0, 9)) {
                String v = b.substring(9).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                if (v.isEmpty() || v.length() > 200) {
                    break;
                }
                return v;
            }
        }
        throw new InvalidRequestException("malformed multipart/form-data body: the Content-Type has no boundary");
    }

    /**
     * The parts of {@code body}, in order.
     *
     * @throws InvalidRequestException   if the body is not well-formed multipart
     * @throws PayloadTooLargeException  if it has more than {@code maxParts} parts
     */
    public static List<Part> parse(Spool body, String boundary, int maxParts) throws IOException {
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        Window w = new Window(body);
        long size = body.size();
        // the first boundary: at the start, or after a preamble ending in CRLF
        long pos;
        if (w.matches(0, dash)) {
            pos = dash.length;
        } else {
            long at = w.find(0, delimiter);
            if (at < 0) {
                throw malformed("no boundary '" + boundary + "' found");
            }
            pos = at + delimiter.length;
        }
        List<Part> parts = new ArrayList<>();
        while (true) {
            // after a boundary: "--" ends the body, else transport padding and CRLF start a part
            if (w.matches(pos, new byte[] {'-', '-'})) {
                return parts;
            }
            while (pos < size && (w.at(pos) == ' ' || w.at(pos) == '\t')) {
                pos++;
            }
            if (!w.matches(pos, new byte[] {'\r', '\n'})) {
                throw malformed("a boundary is not followed by CRLF");
            }
            pos += 2;
            if (parts.size() >= maxParts) {
                throw new PayloadTooLargeException("the multipart body has more than " + maxParts
                        + " parts; send fewer parts");
            }
            long headersEnd = w.find(pos, new byte[] {'\r', '\n', '\r', '\n'}, MAX_PART_HEADER_BYTES + 4);
            String name = null;
            String fileName = null;
            String contentType = null;
            long contentStart;
            if (w.matches(pos, new byte[] {'\r', '\n'})) {
                contentStart = pos + 2; // a part without headers
            } else {
                if (headersEnd < 0) {
                    throw malformed("the headers of part " + (parts.size() + 1) + " are longer than "
                            + MAX_PART_HEADER_BYTES + " bytes or do not end");
                }
                String headers = new String(w.bytes(pos, (int) (headersEnd - pos)), StandardCharsets.UTF_8);
                for (String line : headers.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw malformed("a malformed part header line '" + abbreviate(line) + "'");
                    }
                    String h = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String v = line.substring(colon + 1).trim();
                    if (h.equals("content-disposition")) {
                        List<String[]> params = HeaderParams.parse(v);
                        if (params.isEmpty() || !params.get(0)[0].equalsIgnoreCase("form-data")) {
                            throw malformed("a part's Content-Disposition is not form-data");
                        }
                        for (String[] p : params.subList(1, params.size())) {
                            if (p[0].equalsIgnoreCase("name")) {
                                name = p[1];
                            } else if (p[0].equalsIgnoreCase("filename") && fileName == null) {
                                fileName = p[1];
                            } else if (p[0].equalsIgnoreCase("filename*")) {
                                fileName = HeaderParams.extValue(p[1]);
                            }
                        }
                    } else if (h.equals("content-type")) {
                        contentType = v;
                    }
                }
                contentStart = headersEnd + 4;
            }
            if (name == null) {
                throw malformed("part " + (parts.size() + 1) + " has no Content-Disposition name");
            }
            long end = w.find(contentStart - 2, delimiter); // an empty part's CRLF is the delimiter's
            if (end < contentStart - 2) {
                throw malformed("the body ends before the closing boundary");
            }
            long length = Math.max(0, end - contentStart);
            parts.add(new Part(name, fileName, contentType, contentStart, length));
            pos = end + delimiter.length;
        }
    }

    private static InvalidRequestException malformed(String why) {
        return new InvalidRequestException("malformed multipart/form-data body: " + why);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** A sliding window over the spool for searching; the body is read once in the common case. */
    private static final class Window {
        private final Spool body;
        private final long size;
        private byte[] buf = new byte[0];
        private long start;

        Window(Spool body) {
            this.body = body;
            this.size = body.size();
        }

        /** Makes [pos, pos + n) (clipped to the body) available; returns how much is. */
        private int load(long pos, int n) throws IOException {
            long want = Math.min(n, size - pos);
            if (want <= 0) {
                return 0;
            }
            if (pos >= start && pos + want <= start + buf.length) {
                return (int) want;
            }
            int len = (int) Math.min(Math.max(n, WINDOW), size - pos);
            try (InputStream in = body.open(pos, len)) {
                buf = in.readNBytes(len);
            }
            start = pos;
            return (int) want;
        }

        int at(long pos) throws IOException {
            if (load(pos, 1) < 1) {
                return -1;
            }
            return buf[(int) (pos - start)] & 0xff;
        }

        boolean matches(long pos, byte[] what) throws IOException {
            if (load(pos, what.length) < what.length) {
                return false;
            }
            int o = (int) (pos - start);
            for (int i = 0; i < what.length; i++) {
                if (buf[o + i] != what[i]) {
                    return false;
                }
            }
            return true;
        }

        byte[] bytes(long pos, int n) throws IOException {
            load(pos, n);
            byte[] out = new byte[n];
            System.arraycopy(buf, (int) (pos - start), out, 0, n);
            return out;
        }

        long find(long from, byte[] what) throws IOException {
            return find(from, what, Long.MAX_VALUE);
        }

        /** The first position at or after {@code from}, before {@code from + within}, where {@code what} starts. */
        long find(long from, byte[] what, long within) throws IOException {
            long limit = within >= size - from ? size : from + within;
            long pos = from;
            while (pos + what.length <= limit) {
                int avail = load(pos, WINDOW);
                int o = (int) (pos - start);
                int last = o + avail - what.length;
                byte first = what[0];
                for (int i = o; i <= last && start + i + what.length <= limit; i++) {
                    if (buf[i] == first && regionEquals(buf, i, what)) {
                        return start + i;
                    }
                }
                if (pos + avail >= limit) {
                    return -1;
                }
                pos += avail - what.length + 1;
            }
            return -1;
        }

        private static boolean regionEquals(byte[] b, int off, byte[] what) {
            for (int k = 1; k < what.length; k++) {
                if (b[off + k] != what[k]) {
                    return false;
                }
            }
            return true;
        }
    }
}
