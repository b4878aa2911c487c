package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;
import org.uwskit.InvalidRequestException;
import org.uwskit.JobRequest;
import org.uwskit.PayloadTooLargeException;

/**
 * Turns the body of a request, read whole by the {@link BodyReader}, into name/value pairs and uploads: which bodies
 * are read at all and up to what size, urlencoded forms, multipart forms (through {@link MultipartDecoder}) and raw
 * PUT values, with their character sets. The limits are the same whatever the encoding: the text of a form
 * (urlencoded body, or the text fields of a multipart body together) is at most {@link BodyLimits#maxFormBytes()},
 * each file part at most {@link BodyLimits#maxUploadBytes()}; beyond is 413. Stateless.
 */
public final class RequestDecoder {
    public static final String FORM = "application/x-www-form-urlencoded";
    public static final String MULTIPART = "multipart/form-data";

    private final BodyLimits limits;

    public RequestDecoder(BodyLimits limits) {
        this.limits = limits;
    }

    /**
     * The most bytes of body the request may send, or -1 if its body is not read: only POST with an urlencoded or
     * multipart body and PUT (a raw value) have bodies the servlet reads.
     */
    public long bodyLimit(HttpServletRequest req, String method) {
        if ("PUT".equals(method)) {
            return limits.maxFormBytes();
        }
        if ("POST".equals(method)) {
            if (isType(req, FORM)) {
                return limits.maxFormBytes();
            }
            if (isType(req, MULTIPART)) {
                return limits.maxMultipartBytes();
            }
        }
        return -1;
    }

    /** How the body of the request is named in messages. */
    public String what(HttpServletRequest req, String method) {
        if ("PUT".equals(method)) {
            return "the parameter value";
        }
        return isType(req, MULTIPART) ? "the multipart body" : "the form body";
    }

    public static boolean isMultipart(HttpServletRequest req) {
        return isType(req, MULTIPART);
    }

    private static boolean isType(HttpServletRequest req, String type) {
        String ct = req.getContentType();
        return ct != null && ct.toLowerCase(Locale.ROOT).startsWith(type);
    }

    /**
     * The query string pairs followed by those of an urlencoded or multipart body (a multipart body may then hold no
     * files).
     *
     * @param body the body as read, or null if it was not
     * @throws HttpProblem 415 for a body of another type
     */
    public Params form(HttpServletRequest req, String method, Params query, Spool body) throws IOException {
        Params p = new Params();
        p.addAll(query);
        String ct = req.getContentType();
        if (isType(req, FORM)) {
            byte[] bytes = body == null ? new byte[0] : body.bytes();
            Charset cs = charset(req.getCharacterEncoding());
            FormDecoder.decode(new String(bytes, StandardCharsets.ISO_8859_1), cs, "form body", p);
        } else if (isType(req, MULTIPART)) {
            return multipart(req, query, body, null);
        } else if (ct != null && hasBody(req)) {
            // a body we cannot read (e.g. an XML JDL document) must not silently become an empty request
            throw new HttpProblem(415, "a " + method + " body of type '" + ct + "' is not understood here: send "
                    + FORM + " (or " + MULTIPART + " to create a job or to POST to its /parameters)");
        }
        return p;
    }

    /** {@link #form(HttpServletRequest, String, Params, Spool)} of one exchange: its query and its body as read. */
    Params form(Exchange x) throws IOException {
        return form(x.req, x.method(), x.query(), x.body);
    }

    /**
     * {@link #multipart(HttpServletRequest, Params, Spool, List)} of one exchange: its query and the text fields of
     * its multipart body; the files into {@code uploads}.
     */
    Params multipart(Exchange x, List<JobRequest.Upload> uploads) throws IOException {
        return multipart(x.req, x.query(), x.body, uploads);
    }

    /** Whether the request declares a body, without reading it (a slow client must not hold this thread). */
    private static boolean hasBody(HttpServletRequest req) {
        long length = req.getContentLengthLong();
        return length > 0 || length < 0 && req.getHeader("Transfer-Encoding") != null;
    }

    /**
     * The query string pairs followed by the text fields of a multipart body; file parts become uploads (streams
     * over the body, valid until it is closed), or are refused when {@code uploads} is null (requests other than
     * creation and {@code POST /parameters}).
     */
    public Params multipart(HttpServletRequest req, Params query, Spool body, List<JobRequest.Upload> uploads)
            throws IOException {
        Params p = new Params();
        p.addAll(query);
        if (body == null || body.size() == 0) {
            throw new InvalidRequestException("malformed multipart/form-data body: it is empty");
        }
        List<MultipartDecoder.Part> parts = MultipartDecoder.parse(body,
                MultipartDecoder.boundary(req.getContentType()), limits.maxParts());
        long text = 0;
        for (MultipartDecoder.Part part : parts) {
            String ct = part.contentType();
            boolean isFile = part.fileName() != null
                    || ct != null && !ct.toLowerCase(Locale.ROOT).startsWith("text/plain");
            if (isFile && "".equals(part.fileName()) && part.length() == 0) {
                continue; // a browser's file input left empty: a nameless, empty part; not an upload
            }
            if (isFile) {
                if (uploads == null) {
                    throw new InvalidRequestException("inline uploads (part '" + part.name()
                            + "') are accepted only when a job is created or at its /parameters");
                }
                if (part.length() > limits.maxUploadBytes()) {
                    throw new PayloadTooLargeException("the upload '" + part.name() + "' of " + part.length()
                            + " bytes exceeds the limit of " + limits.maxUploadBytes() + " bytes");
                }
                uploads.add(new JobRequest.Upload(part.name(), part.fileName(), ct,
                        body.open(part.offset(), part.length())));
            } else {
                text += part.length();
                if (text > limits.maxFormBytes()) {
                    throw new PayloadTooLargeException("the text fields of the multipart body are larger than the "
                            + "limit of " + limits.maxFormBytes() + " bytes (the same as for an urlencoded body)");
                }
                byte[] bytes;
                try (InputStream in = body.open(part.offset(), part.length())) {
                    bytes = in.readAllBytes();
                }
                p.add(part.name(), new String(bytes, charsetOfType(ct, req.getCharacterEncoding())));
            }
        }
        return p;
    }

    /** The raw value of a PUT, in the request's character set (UTF-8 by default). */
    public String value(HttpServletRequest req, Spool body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.bytes();
        return new String(bytes, charset(req.getCharacterEncoding()));
    }

    static Charset charset(String name) {
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new InvalidRequestException("unsupported character encoding '" + name + "'");
        }
    }

    static Charset charsetOfType(String contentType, String fallback) {
        if (contentType != null) {
            for (String bit : contentType.split(";")) {
                String b = bit.trim();
                if (b.regionMatches(true, 0, "charset=", 0, 8)) {
                    return charset(b.substring(8).replace("\"", ""));
                }
            }
        }
        return charset(fallback);
    }
}
