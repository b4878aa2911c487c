package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleOptionsTest {

    @Test
    void noArgumentsGiveTheDefaults() {
        ExampleOptions o = ExampleOptions.parse(List.of());
        assertThat(o).isEqualTo(ExampleOptions.defaults());
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.usersFile()).isNull();
        assertThat(o.dataDir()).isEqualTo(Path.of("uwskit-data"));
    }

    @Test
    void everyOptionIsRead() {
        ExampleOptions o = ExampleOptions.parse(List.of("--port", "0", "--host", "0.0.0.0", "--users", "u.txt",
                "--data=/tmp/d"));
        assertThat(o).isEqualTo(new ExampleOptions("0.0.0.0", 0, Path.of("u.txt"), Path.of("/tmp/d")));
    }

    @Test
    void helpGivesNull() {
        assertThat(ExampleOptions.parse(List.of("--port", "1", "--help"))).isNull();
        assertThat(ExampleOptions.USAGE).contains("--port").contains("--host").contains("--users").contains("--data");
    }

    @Test
    void badOptionsNameTheProblem() {
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--port", "http")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("'http' is not a number");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--port", "70000")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--port")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--users", "--port", "1")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("--users needs a value");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--verbose")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("unknown option '--verbose'");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--host", " ")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("--host");
    }
}
