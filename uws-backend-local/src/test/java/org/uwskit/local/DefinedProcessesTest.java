package org.uwskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @Test
    void anOpusActivityDescriptionRunsItsScriptWithValuesOnlyInTheEnvironment() throws Exception {
        Files.writeString(dir.resolve("append.xml"), """
                <VOTABLE xmlns="http://www.ivoa.net/xml/VOTable/v1.3" version="1.3">
                  <RESOURCE name="append" type="meta" utype="voprov:ActivityDescription">
                    <PARAM name="script" datatype="char" arraysize="*"
                           value="cat &quot;$input&quot; &gt; &quot;$output&quot;&#13;&#10;echo &quot;$text&quot; &gt;&gt; &quot;$output&quot;&#13;&#10;"/>
                    <GROUP name="InputParams">
                      <PARAM name="text" datatype="char" arraysize="*" value="!"/>
                    </GROUP>
                    <GROUP name="Used">
                      <GROUP name="input"><PARAM name="url" datatype="char" arraysize="*" value="file://$ID"/></GROUP>
                    </GROUP>
                    <GROUP name="Generated">
                      <GROUP name="output">
                        <PARAM name="default" datatype="char" arraysize="*" value="output.txt"/>
                        <PARAM name="content_type" datatype="char" arraysize="*" value="text/plain"/>
                      </GROUP>
                    </GROUP>
                  </RESOURCE>
                </VOTABLE>
                """);
        LoadedDefinition d = DefinitionLoader.defaults().load(dir.resolve("append.xml"));
        LocalBackend backend = LocalBackend.builder().workRoot(dir.resolve("work"))
                .process("append", DefinedProcesses.template(d)).build();
        try {
            // a value that would run a command if it were pasted into the script's text
            String hostile = "$(touch pwned) `touch pwned2`; touch pwned3";
            CapturingEvents events = new CapturingEvents().upload("in1", "first line\n");
            backend.submit(Jobs.template(d.definition(), "input", "param:in1", "text", hostile), events);
            assertThat(events.awaitEnd(Duration.ofSeconds(15))).isEqualTo("completed");
            assertThat(events.text("output.txt")).isEqualTo("first line\n" + hostile + "\n");
            assertThat(events.mimeTypes).containsEntry("output.txt", "text/plain");
            try (var files = Files.walk(dir)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("pwned"));
            }
        } finally {
            backend.close();
        }
    }
}
