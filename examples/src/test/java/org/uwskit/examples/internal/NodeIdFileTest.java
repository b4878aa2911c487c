package org.uwskit.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdFileTest {
    @TempDir
    Path dir;

    @Test
    void createdOnceThenReadBack() throws Exception {
        String first = NodeIdFile.readOrCreate(dir);
        assertThat(first).matches("node-[0-9a-f]{12}");
        assertThat(Files.readString(dir.resolve("node-id")).strip()).isEqualTo(first);
        assertThat(NodeIdFile.readOrCreate(dir)).isEqualTo(first);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("node-id"));
        }
    }

    @Test
    void eachDataDirectoryHasItsOwnId() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        assertThat(NodeIdFile.readOrCreate(dir)).isNotEqualTo(NodeIdFile.readOrCreate(other));
    }

    @Test
    void anEditedIdIsKeptAndAJunkOneNamed() throws Exception {
        Files.writeString(dir.resolve("node-id"), "web-1\n");
        assertThat(NodeIdFile.readOrCreate(dir)).isEqualTo("web-1");
        Files.writeString(dir.resolve("node-id"), "not a node id");
        assertThatThrownBy(() -> NodeIdFile.readOrCreate(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node-id").hasMessageContaining("'not a node id'");
    }
}
