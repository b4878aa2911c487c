package org.uwskit.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BufferedBytesTest {
    /** Records the size of every write the buffer makes on the stream. */
    static final class Recording extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();

        @Override
        public void write(int b) {
            writes.add(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(len);
            bytes.write(b, off, len);
        }
    }

    @Test
    void everyByteArrivesInOrderThroughGrowthAndDrains() throws IOException {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            Recording out = new Recording();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            BufferedBytes b = new BufferedBytes(out);
            int ops = 1 + r.nextInt(400);
            for (int i = 0; i < ops; i++) {
                switch (r.nextInt(3)) {
                    case 0 -> {
                        int v = r.nextInt(256);
                        b.write(v);
                        expected.write(v);
                    }
                    case 1 -> {
                        byte[] chunk = new byte[r.nextInt(r.nextBoolean() ? 100 : 3 * BufferedBytes.SIZE)];
                        r.nextBytes(chunk);
                        int off = chunk.length == 0 ? 0 : r.nextInt(chunk.length);
                        int len = chunk.length - off;
                        b.write(chunk, off, len);
                        expected.write(chunk, off, len);
                    }
                    default -> {
                        String s = "x".repeat(r.nextInt(r.nextBoolean() ? 50 : 2 * BufferedBytes.SIZE));
                        b.writeAscii(s);
                        expected.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            b.flush();
            assertThat(out.bytes.size()).as("flush keeps the bytes").isLessThanOrEqualTo(expected.size());
            b.close();
            assertThat(out.bytes.toByteArray()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void aSmallDocumentIsOneWriteAtTheEnd() throws IOException {
        Recording out = new Recording();
        BufferedBytes b = new BufferedBytes(out);
        for (int i = 0; i < 3 * BufferedBytes.INITIAL; i++) {
            b.write('a');
        }
        assertThat(out.writes).isEmpty();
        b.drain();
        assertThat(out.writes).containsExactly(3 * BufferedBytes.INITIAL);
    }
}
