package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uwskit.BlobKind;
import org.uwskit.JobIds;
import org.uwskit.spi.ResultStore;

/**
 * The contract every {@link ResultStore} must pass. Extend it and implement {@link #createStore()}; each test gets a
 * new store and its own job ids, so a store kept across tests (a shared bucket or directory) works too. The in-memory
 * and file result stores of uws-core run it; so should yours (object storage, a cluster file system, a database).
 */
public abstract class ResultStoreContract {
    /** The store under test, made by {@link #createStore()} before each test. */
    protected ResultStore store;

    /**
     * A new store for one test.
     *
     * @return the store under test
     * @throws Exception if it cannot be made
     */
    protected abstract ResultStore createStore() throws Exception;

    @BeforeEach
    void newStore() throws Exception {
        store = createStore();
    }

    private void write(String job, BlobKind kind, String name, String text) throws IOException {
        try (OutputStream out = store.create(job, kind, name)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String read(String job, BlobKind kind, String name, long offset, long length) throws IOException {
        try (InputStream in = store.read(job, kind, name, offset, length)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aClosedBlobIsReadBackWholeWithItsSize() throws Exception {
        String job = JobIds.next();
        write(job, BlobKind.RESULT, "out.txt", "hello, world");
        assertThat(store.size(job, BlobKind.RESULT, "out.txt")).isEqualTo(12);
        assertThat(read(job, BlobKind.RESULT, "out.txt", 0, -1)).isEqualTo("hello, world");
    }

    @Test
    void rangesAreReadAndEndWithTheBlob() throws Exception {
        String job = JobIds.next();
        write(job, BlobKind.RESULT, "r", "0123456789");
        assertThat(read(job, BlobKind.RESULT, "r", 2, 3)).isEqualTo("234");
        assertThat(read(job, BlobKind.RESULT, "r", 7, -1)).isEqualTo("789");
        assertThat(read(job, BlobKind.RESULT, "r", 8, 100)).as("fewer bytes if the blob ends first").isEqualTo("89");
        assertThat(read(job, BlobKind.RESULT, "r", 10, -1)).isEmpty();
        assertThatThrownBy(() -> store.read(job, BlobKind.RESULT, "r", -1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlobIsNotVisibleBeforeItsStreamIsClosedAndANeverClosedStreamKeepsThePreviousOne() throws Exception {
        String job = JobIds.next();
        OutputStream first = store.create(job, BlobKind.RESULT, "r");
        first.write("partial".getBytes(StandardCharsets.UTF_8));
        first.flush();
        assertThat(store.size(job, BlobKind.RESULT, "r")).isEqualTo(-1);
        first.close();
        assertThat(read(job, BlobKind.RESULT, "r", 0, -1)).isEqualTo("partial");

        OutputStream second = store.create(job, BlobKind.RESULT, "r");
        second.write("replacement that is never closed".getBytes(StandardCharsets.UTF_8));
        second.flush();
        assertThat(read(job, BlobKind.RESULT, "r", 0, -1)).as("the previous blob stays until close")
                .isEqualTo("partial");
        write(job, BlobKind.RESULT, "r", "final");
        assertThat(read(job, BlobKind.RESULT, "r", 0, -1)).as("closing replaces").isEqualTo("final");
        assertThat(store.size(job, BlobKind.RESULT, "r")).isEqualTo(5);
    }

    @Test
    void aMissingBlobHasSizeMinusOneAndCannotBeRead() throws Exception {
        String job = JobIds.next();
        assertThat(store.size(job, BlobKind.RESULT, "none")).isEqualTo(-1);
        assertThatThrownBy(() -> store.read(job, BlobKind.RESULT, "none", 0, -1))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void resultsAndUploadsAreSeparateAndSoAreJobs() throws Exception {
        String a = JobIds.next();
        String b = JobIds.next();
        write(a, BlobKind.RESULT, "x", "result of a");
        write(a, BlobKind.UPLOAD, "x", "upload of a");
        write(b, BlobKind.RESULT, "x", "result of b");
        assertThat(read(a, BlobKind.RESULT, "x", 0, -1)).isEqualTo("result of a");
        assertThat(read(a, BlobKind.UPLOAD, "x", 0, -1)).isEqualTo("upload of a");
        assertThat(read(b, BlobKind.RESULT, "x", 0, -1)).isEqualTo("result of b");
        assertThat(store.size(b, BlobKind.UPLOAD, "x")).isEqualTo(-1);
    }

    @Test
    void deleteAllOfOneKindKeepsTheOtherAndDeleteAllRemovesEverythingOfTheJobOnly() throws Exception {
        String a = JobIds.next();
        String b = JobIds.next();
        write(a, BlobKind.RESULT, "r1", "1");
        write(a, BlobKind.RESULT, "r2", "2");
        write(a, BlobKind.UPLOAD, "u", "u");
        write(b, BlobKind.RESULT, "r1", "b");
        store.deleteAll(a, BlobKind.RESULT);
        store.deleteAll(a, BlobKind.RESULT);
        assertThat(store.size(a, BlobKind.RESULT, "r1")).isEqualTo(-1);
        assertThat(store.size(a, BlobKind.RESULT, "r2")).isEqualTo(-1);
        assertThat(store.size(a, BlobKind.UPLOAD, "u")).isEqualTo(1);
        store.deleteAll(a);
        store.deleteAll(a);
        assertThat(store.size(a, BlobKind.UPLOAD, "u")).isEqualTo(-1);
        assertThat(read(b, BlobKind.RESULT, "r1", 0, -1)).as("another job's blobs stay").isEqualTo("b");
        store.deleteAll(JobIds.next()); // a job with no blobs
    }

    @Test
    void unsafeJobIdsAndNamesAreRefused() {
        String job = JobIds.next();
        for (String bad : List.of("", ".hidden", "../etc", "a/b", "a\\b", "sp ace", "x".repeat(129))) {
            assertThatThrownBy(() -> store.create(job, BlobKind.RESULT, bad)).as("name '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.read(job, BlobKind.RESULT, bad, 0, -1)).as("name '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.size(job, BlobKind.RESULT, bad)).as("name '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.create(bad, BlobKind.RESULT, "ok")).as("job id '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.deleteAll(bad)).as("job id '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.deleteAll(bad, BlobKind.UPLOAD)).as("job id '%s'", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void concurrentWritersOfDifferentBlobsDoNotMixTheirBytes() throws Exception {
        String job = JobIds.next();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = "r" + i;
                String text = ("blob " + i + ";").repeat(1000);
                writes.add(pool.submit(() -> {
                    write(job, BlobKind.RESULT, name, text);
                    return null;
                }));
            }
            for (Future<?> f : writes) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 16; i++) {
            assertThat(read(job, BlobKind.RESULT, "r" + i, 0, -1)).isEqualTo(("blob " + i + ";").repeat(1000));
        }
    }
}
