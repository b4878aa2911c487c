package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.InvalidRequestException;
import org.uwskit.PayloadTooLargeException;

class MultipartDecoderTest {
    private static final String B = "xYz-boundary";

    @TempDir
    Path dir;

    private Spool spool(byte[] body, int threshold) throws Exception {
        Spool s = new Spool(dir, threshold);
        // in odd chunks, as a network delivers them
        for (int off = 0; off < body.length; off += 7777) {
            s.write(body, off, Math.min(7777, body.length - off));
        }
        return s;
    }

    private static byte[] bytes(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : pieces) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] read(Spool s, MultipartDecoder.Part p) throws Exception {
        try (InputStream in = s.open(p.offset(), p.length())) {
            return in.readAllBytes();
        }
    }

    @Test
    void fieldsAndFilesWithTheirBytesInMemoryAndOnDisk() throws Exception {
        byte[] file = new byte[300_000];
        new Random(7).nextBytes(file);
        // the delimiter's prefix inside the data must not end the part
        byte[] tricky = ("a\r\n--" + B.substring(0, 5) + "b\r\n-").getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(tricky, 0, file, 65_530, tricky.length);
        byte[] body = bytes("preamble\r\n--", B, "\r\n",
                "Content-Disposition: form-data; name=\"QUERY\"\r\n\r\nselect ü\r\n--", B, "\r\n",
                "Content-Disposition: form-data; name=\"t\"; filename=\"a;b \\\"c\\\".vot\"\r\n",
                "Content-Type: application/x-votable+xml\r\n\r\n", file, "\r\n--", B, "\r\n",
                "content-disposition: form-data; name=\"empty\"\r\n\r\n\r\n--", B, "--\r\nepilogue");
        for (int threshold : new int[] {1 << 20, 1000}) {
            try (Spool s = spool(body, threshold)) {
                assertThat(s.onDisk()).isEqualTo(threshold < body.length);
                List<MultipartDecoder.Part> parts = MultipartDecoder.parse(s, B, 10);
                assertThat(parts).extracting(MultipartDecoder.Part::name).containsExactly("QUERY", "t", "empty");
                assertThat(new String(read(s, parts.get(0)), StandardCharsets.UTF_8)).isEqualTo("select ü");
                assertThat(parts.get(1).fileName()).isEqualTo("a;b \"c\".vot");
                assertThat(parts.get(1).contentType()).isEqualTo("application/x-votable+xml");
                assertThat(read(s, parts.get(1))).isEqualTo(file);
                assertThat(parts.get(2).length()).isZero();
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files).as("the spool file is deleted on close").isEmpty();
        }
    }

    @Test
    void malformedBodiesAre400WithoutInternals() throws Exception {
        String part = "Content-Disposition: form-data; name=\"a\"\r\n\r\n1";
        for (byte[] bad : List.of(bytes("no boundary at all"), bytes("--", B, "\r\n", part),
                bytes("--", B, "\r\nContent-Disposition: attachment\r\n\r\n1\r\n--", B, "--"),
                bytes("--", B, "\r\nContent-Type: text/plain\r\n\r\n1\r\n--", B, "--"),
                bytes("--", B, "X", part))) {
            try (Spool s = spool(bad, 1 << 20)) {
                assertThatThrownBy(() -> MultipartDecoder.parse(s, B, 10))
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessageStartingWith("malformed multipart/form-data body: ");
            }
        }
        assertThatThrownBy(() -> MultipartDecoder.boundary("multipart/form-data"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("boundary");
        assertThat(MultipartDecoder.boundary("multipart/form-data; charset=utf-8; boundary=\"a b\"")).isEqualTo("a b");
    }

    @Test
    void tooManyPartsIs413() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            b.append("--").append(B).append("\r\nContent-Disposition: form-data; name=\"p").append(i)
                    .append("\"\r\n\r\nv\r\n");
        }
        b.append("--").append(B).append("--\r\n");
        try (Spool s = spool(bytes(b), 1 << 20)) {
            assertThat(MultipartDecoder.parse(s, B, 4)).hasSize(4);
            assertThatThrownBy(() -> MultipartDecoder.parse(s, B, 3)).isInstanceOf(PayloadTooLargeException.class)
                    .hasMessageContaining("more than 3 parts");
        }
    }

    @Test
    void headerParameters() {
        assertThat(HeaderParams.parse("form-data; name=\"x\"; filename*=UTF-8''caf%C3%A9.txt"))
                .extracting(a -> a[0] + "=" + a[1]).containsExactly("form-data=", "name=x", "filename*=UTF-8''caf%C3%A9.txt");
        assertThat(HeaderParams.extValue("UTF-8''caf%C3%A9+1.txt")).isEqualTo("café+1.txt");
        assertThat(HeaderParams.parse("form-data; name=\"C:\\dir\\f.txt\"").get(1)[1]).isEqualTo("C:\\dir\\f.txt");
    }
}
