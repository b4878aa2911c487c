package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.BlobKind;
import org.uwskit.memory.FileResultStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.ResultStore;

class FileResultStoreTest {
    @TempDir
    Path dir;

    static String read(ResultStore s, String job, String name, long off, long len) throws IOException {
        try (InputStream in = s.read(job, BlobKind.RESULT, name, off, len)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void write(ResultStore s, String job, BlobKind kind, String name, String text) throws IOException {
        try (OutputStream out = s.create(job, kind, name)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void writesReadsRangesAndSizes() throws Exception {
        for (ResultStore s : List.of(new FileResultStore(dir.resolve("root")), new InMemoryResultStore())) {
            write(s, "job1", BlobKind.RESULT, "out.txt", "0123456789");
            assertThat(s.size("job1", BlobKind.RESULT, "out.txt")).isEqualTo(10);
            assertThat(s.size("job1", BlobKind.UPLOAD, "out.txt")).isEqualTo(-1);
            assertThat(read(s, "job1", "out.txt", 0, -1)).isEqualTo("0123456789");
            assertThat(read(s, "job1", "out.txt", 2, 3)).isEqualTo("234");
            assertThat(read(s, "job1", "out.txt", 8, 100)).isEqualTo("89");
            assertThat(read(s, "job1", "out.txt", 10, -1)).isEmpty();
            assertThatThrownBy(() -> read(s, "job1", "missing", 0, -1)).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void aBlobIsInvisibleUntilClosedAndReplacedWhole() throws Exception {
        FileResultStore s = new FileResultStore(dir);
        write(s, "j", BlobKind.RESULT, "r", "old content");
        OutputStream out = s.create("j", BlobKind.RESULT, "r");
        out.write("new".getBytes(StandardCharsets.UTF_8));
        assertThat(read(s, "j", "r", 0, -1)).isEqualTo("old content");
        assertThat(s.names("j", BlobKind.RESULT)).containsExactly("r");
        out.close();
        out.close();
        assertThat(read(s, "j", "r", 0, -1)).isEqualTo("new");
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void neverTouchesAnythingOutsideItsRoot() throws Exception {
        Path root = dir.resolve("root");
        FileResultStore s = new FileResultStore(root);
        Files.writeString(dir.resolve("secret"), "s");
        for (String bad : List.of("../secret", "..", ".", ".hidden", "a/b", "a\\b", "", "x".repeat(129), "ü")) {
            assertThatThrownBy(() -> s.create("job", BlobKind.RESULT, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.create(bad, BlobKind.RESULT, "ok")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.read(bad, BlobKind.RESULT, "ok", 0, -1)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> s.deleteAll(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.readString(dir.resolve("secret"))).isEqualTo("s");
    }

    @Test
    void deleteAllOfAKindKeepsTheOtherKind() throws Exception {
        FileResultStore s = new FileResultStore(dir);
        write(s, "j", BlobKind.RESULT, "r", "1");
        write(s, "j", BlobKind.UPLOAD, "u", "2");
        s.deleteAll("j", BlobKind.RESULT);
        s.deleteAll("j", BlobKind.RESULT);
        assertThat(s.size("j", BlobKind.RESULT, "r")).isEqualTo(-1);
        assertThat(s.size("j", BlobKind.UPLOAD, "u")).isEqualTo(1);
        s.deleteAll("j");
        s.deleteAll("j");
        assertThat(s.size("j", BlobKind.UPLOAD, "u")).isEqualTo(-1);
        assertThat(Files.exists(dir.resolve("j"))).isFalse();
    }
}
