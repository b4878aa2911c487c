package org.uwskit.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void oneHolderAtATimeAndReleasedOnClose() throws Exception {
        DataDirLock first = DataDirLock.acquire(dir);
        assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another server").hasMessageContaining(dir.toString());
        first.close();
        first.close();
        try (DataDirLock again = DataDirLock.acquire(dir)) {
            assertThat(dir.resolve(DataDirLock.FILE_NAME)).exists();
        }
    }
}
