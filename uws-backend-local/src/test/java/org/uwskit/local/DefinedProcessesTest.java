package org.uwskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.definition.DefinitionLoader;
import org.uwskit.definition.LoadedDefinition;

class DefinedProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aDefinitionFileBecomesTheProcessTemplateItDescribes() throws Exception {
        Files.writeString(dir.resolve("tool.py"), "");
        Files.writeString(dir.resolve("t.json"), """
                {"name": "t",
                 "parameters": {"FILE": {"type": "file", "required": true},
                                "N": {"type": "integer", "default": 3}},
                 "outputs": [{"id": "stdout"}, {"id": "out.csv", "contentType": "text/csv"}],
                 "run": {"command": "env", "arguments": [{"path": "tool.py"}, "-n", {"parameter": "N"},
                                                          {"upload": "FILE"}],
                         "environment": {"A": "1", "B": {"parameter": "N"}}, "inheritEnvironment": false}}
                """);
        LoadedDefinition d = DefinitionLoader.defaults().load(dir.resolve("t.json"));
        ProcessTemplate t = DefinedProcesses.template(d);
        assertThat(Path.of(t.executable()).isAbsolute()).isTrue();
        assertThat(Path.of(t.executable()).getFileName()).hasToString("env");
        assertThat(t.arguments()).containsExactly(
                new ProcessTemplate.Argument(ProcessTemplate.Source.LITERAL, dir.resolve("tool.py").toString()),
                new ProcessTemplate.Argument(ProcessTemplate.Source.LITERAL, "-n"),
                new ProcessTemplate.Argument(ProcessTemplate.Source.PARAMETER, "N"),
                new ProcessTemplate.Argument(ProcessTemplate.Source.UPLOAD, "FILE"));
        assertThat(t.environment()).containsExactly(
                new ProcessTemplate.EnvironmentVariable("A", ProcessTemplate.Source.LITERAL, "1"),
                new ProcessTemplate.EnvironmentVariable("B", ProcessTemplate.Source.PARAMETER, "N"));
        assertThat(t.inheritEnvironment()).isFalse();
        assertThat(t.outputs()).containsExactly(new ProcessTemplate.Output("out.csv", "text/csv"));
    }
}
