package org.uwskit.examples.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory (the file {@value #FILE_NAME} in it) held while a server runs, so that two
 * servers never share a data directory, hence an engine node id, whatever their job store. The operating system
 * releases it when the process dies, so a crash never leaves a stale lock. Close to release; {@link #close()} is
 * idempotent.
 */
public final class DataDirLock implements AutoCloseable {
    /** The lock file in the data directory. */
    public static final String FILE_NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws IllegalStateException if another server (process or, in tests, the same JVM) holds it
     * @throws IOException           if the lock file cannot be opened
     */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw new IllegalStateException("the data directory " + dataDir + " is in use by another server (it holds "
                    + file + "); give this one its own --data");
        }
        return new DataDirLock(ch, l);
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
