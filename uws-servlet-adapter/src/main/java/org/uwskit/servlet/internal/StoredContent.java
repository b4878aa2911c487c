package org.uwskit.servlet.internal;

import java.io.IOException;
import org.uwskit.ResultContent;

/**
 * Serves stored bytes — a result, an upload — with their type and length, honouring a single {@code Range} (206,
 * 416), with the headers of {@link ContentSafety} for user content. Stateless.
 */
final class StoredContent {
    private static final String TEXT = "text/plain;charset=UTF-8";

    private StoredContent() {
    }

    /** Opens the stored bytes, whole ({@code length} -1) or a range of them. */
    @FunctionalInterface
    interface Opener {
        ResultContent open(long offset, long length) throws IOException;
    }

    /**
     * Serves stored bytes (user content) with their type and length, honouring a single {@code Range} (206 / 416),
     * with the headers of {@link ContentSafety}.
     */
    static void serve(Exchange x, Opener opener, String mimeType, String name) throws IOException {
        ResultContent rc = opener.open(0, -1);
        try {
            long total = rc.totalSize();
            ByteRange range;
            try {
                range = ByteRange.parse(x.req.getHeader("Range"), total);
            } catch (ByteRange.Unsatisfiable e) {
                x.resp.setStatus(416);
                x.resp.setHeader("Content-Range", "bytes */" + total);
                x.resp.setContentType(TEXT);
                x.resp.getWriter().write(e.getMessage() + "\n");
                return;
            }
            x.resp.setHeader("Accept-Ranges", "bytes");
            x.resp.setContentType(mimeType == null ? "application/octet-stream" : mimeType);
            ContentSafety.userContent(x.resp, mimeType, name);
            if (range != null) {
                rc.close();
                rc = opener.open(range.first(), range.length());
                x.resp.setStatus(206);
                x.resp.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + total);
                x.resp.setContentLengthLong(range.length());
            } else {
                x.resp.setStatus(200);
                x.resp.setContentLengthLong(total);
            }
            if (!x.head) {
                rc.stream().transferTo(x.resp.getOutputStream());
            }
        } finally {
            rc.close();
        }
    }
}
