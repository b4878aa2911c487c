package org.uwskit.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.JobDefinition;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

class DefinitionLoaderTest {
    @TempDir
    Path dir;

    static final String GOOD = """
            {
              "$schema": "https://uwskit.org/schemas/job-definition-1.schema.json",
              "name": "pack",
              "description": "compresses an upload",
              "version": "1.2",
              "strict": true,
              "parameters": {
                "FILE": {"type": "file", "required": true, "contentTypes": ["text/plain", "image/*"], "maxSize": 1000,
                         "description": "what to compress"},
                "LEVEL": {"type": "integer", "default": 6, "min": 1, "max": 9, "description": "effort"},
                "RATIO": {"type": "real", "default": 1, "min": 0, "max": 1, "unit": "%", "ucd": "arith.ratio"},
                "MODE": {"type": "enumerated", "options": ["fast", "best"], "default": "fast"},
                "TAG": {"type": "string", "pattern": "[a-z]+", "default": "abc"},
                "WHEN": {"type": "instant"},
                "SOURCE": {"type": "uri"},
                "VERBOSE": {"type": "boolean", "default": false},
                "NAMES": {"type": "string", "maxOccurs": 3}
              },
              "outputs": [{"id": "out.gz", "contentType": "application/gzip", "description": "the result"},
                          {"id": "stdout", "contentType": "text/plain"}],
              "run": {
                "command": "env",
                "arguments": ["-9", {"parameter": "LEVEL"}, {"upload": "FILE"}, {"path": "helper.py"}],
                "environment": {"LC_ALL": "C", "MODE": {"parameter": "MODE"}},
                "inheritEnvironment": false,
                "resources": {"cpus": 2, "memoryMegabytes": 512, "maxDurationSeconds": 600, "partition": "short"}
              }
            }
            """;

    Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    LoadedDefinition loadGood() throws IOException {
        write("helper.py", "print(1)\n");
        return DefinitionLoader.defaults().load(write("pack.json", GOOD));
    }

    @Test
    void aGoodFileGivesTheSameModelTheBuilderMakes() throws IOException {
        LoadedDefinition d = loadGood();
        JobDefinition j = d.definition();
        assertThat(j.name()).isEqualTo("pack");
        assertThat(j.version()).isEqualTo("1.2");
        assertThat(j.strict()).isTrue();
        assertThat(j.parameters().keySet()).containsExactly("FILE", "LEVEL", "RATIO", "MODE", "TAG", "WHEN",
                "SOURCE", "VERBOSE", "NAMES");
        ParameterDefinition level = j.parameters().get("LEVEL");
        assertThat(level).isEqualTo(ParameterDefinition.builder("LEVEL", ParameterType.INTEGER).defaultValue("6")
                .min(1).max(9).description("effort").build());
        ParameterDefinition file = j.parameters().get("FILE");
        assertThat(file.contentTypes()).containsExactly("text/plain", "image/*");
        assertThat(file.maxSize()).isEqualTo(1000L);
        assertThat(file.required()).isTrue();
        assertThat(j.parameters().get("RATIO").unit()).isEqualTo("%");
        assertThat(j.parameters().get("NAMES").maxOccurs()).isEqualTo(3);
        assertThat(j.outputs()).extracting(o -> o.id()).containsExactly("out.gz", "stdout");
        CommandSpec c = d.command();
        assertThat(c.executable()).isAbsolute();
        assertThat(c.arguments()).containsExactly(
                new CommandSpec.Value(CommandSpec.Source.LITERAL, "-9"),
                new CommandSpec.Value(CommandSpec.Source.PARAMETER, "LEVEL"),
                new CommandSpec.Value(CommandSpec.Source.UPLOAD, "FILE"),
                new CommandSpec.Value(CommandSpec.Source.PATH, dir.resolve("helper.py").toAbsolutePath().toString()));
        assertThat(c.environment()).containsEntry("LC_ALL", new CommandSpec.Value(CommandSpec.Source.LITERAL, "C"));
        assertThat(c.inheritEnvironment()).isFalse();
        assertThat(c.resources()).isEqualTo(new CommandSpec.Resources(2, 512L, 600L, "short"));
        // the pattern is enforced when jobs are created, with the same words the description uses
        assertThatThrownBy(() -> j.validate(List.of(Parameter.of("FILE", "param:f"), Parameter.of("TAG", "A1"))))
                .hasMessageContaining("TAG: 'A1' does not match the pattern [a-z]+");
    }

    @Test
    void aYamlFileHoldsTheSameTreeAndIsCheckedTheSameWay() throws IOException {
        write("helper.py", "print(1)\n");
        LoadedDefinition json = DefinitionLoader.defaults().load(write("pack.json", GOOD));
        String yaml = """
                # the same definition as GOOD, in YAML
                $schema: https://uwskit.org/schemas/job-definition-1.schema.json
                name: pack
                description: compresses an upload
                version: "1.2"
                strict: true
                parameters:
                  FILE: {type: file, required: true, contentTypes: [text/plain, "image/*"], maxSize: 1000,
                         description: what to compress}
                  LEVEL: {type: integer, default: 6, min: 1, max: 9, description: effort}
                  RATIO: {type: real, default: 1, min: 0, max: 1, unit: "%", ucd: arith.ratio}
                  MODE:
                    type: enumerated
                    options: [fast, best]
                    default: fast
                  TAG: {type: string, pattern: "[a-z]+", default: abc}
                  WHEN: {type: instant}
                  SOURCE: {type: uri}
                  VERBOSE: {type: boolean, default: false}
                  NAMES: {type: string, maxOccurs: 3}
                outputs:
                  - {id: out.gz, contentType: application/gzip, description: the result}
                  - {id: stdout, contentType: text/plain}
                run:
                  command: env
                  arguments: ["-9", {parameter: LEVEL}, {upload: FILE}, {path: helper.py}]
                  environment: {LC_ALL: C, MODE: {parameter: MODE}}
                  inheritEnvironment: false
                  resources: {cpus: 2, memoryMegabytes: 512, maxDurationSeconds: 600, partition: short}
                """;
        LoadedDefinition fromYaml = DefinitionLoader.defaults().load(write("pack.yaml", yaml));
        assertThat(fromYaml.definition().parameters()).isEqualTo(json.definition().parameters());
        assertThat(fromYaml.definition().outputs()).isEqualTo(json.definition().outputs());
        assertThat(fromYaml.command()).isEqualTo(json.command());

        DefinitionException e = org.junit.jupiter.api.Assertions.assertThrows(DefinitionException.class,
                () -> DefinitionLoader.defaults().load(write("bad.yml", yaml.replace("default: 6", "default: 12"))));
        assertThat(e.pointer()).isEqualTo("/parameters/LEVEL/default");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.problem()).contains("the default does not fit its own parameter");
        Path both = Files.createDirectories(dir.resolve("both"));
        Files.writeString(both.resolve("a.yml"), "name: a\nrun: {command: env}\n");
        Files.writeString(both.resolve("b.yaml"), "name: b\nrun: {command: env}\n");
        Files.writeString(both.resolve("c.json"), "{\"name\": \"c\", \"run\": {\"command\": \"env\"}}");
        assertThat(DefinitionLoader.defaults().loadDirectory(both)).extracting(d -> d.definition().name())
                .as("json, yaml and yml files are all read").containsExactly("a", "b", "c");
    }

    void refused(String text, String pointer, int line, String problem) throws IOException {
        write("helper.py", "");
        Path f = write("bad.json", text);
        assertThatThrownBy(() -> DefinitionLoader.defaults().load(f))
                .isInstanceOfSatisfying(DefinitionException.class, e -> {
                    assertThat(e.pointer()).isEqualTo(pointer);
                    if (line > 0) {
                        assertThat(e.line()).isEqualTo(line);
                    }
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).startsWith(f + ": " + (pointer.isEmpty() ? "/" : pointer));
                });
    }

    @Test
    void anUnknownKeyIsRefusedAtItsPlace() throws IOException {
        refused(GOOD.replace("\"maxSize\": 1000,", "\"maxsize\": 1000,"), "/parameters/FILE/maxsize", 8,
                "unknown key \"maxsize\"");
        refused(GOOD.replace("\"strict\": true,", "\"strict\": true, \"colour\": 1,"), "/colour", 6,
                "unknown key \"colour\"");
        refused(GOOD.replace("\"partition\"", "\"queue\""), "/run/resources/queue", 0, "unknown key \"queue\"");
    }

    @Test
    void aDefaultOutsideItsOwnRangeOrOptionsIsRefused() throws IOException {
        refused(GOOD.replace("\"default\": 6", "\"default\": 12"), "/parameters/LEVEL/default", 10,
                "LEVEL: 12 is above the maximum 9");
        refused(GOOD.replace("\"default\": \"fast\"", "\"default\": \"slow\""), "/parameters/MODE/default", 12,
                "'slow' is not one of [fast, best]");
        refused(GOOD.replace("\"default\": \"abc\"", "\"default\": \"ABC\""), "/parameters/TAG/default", 13,
                "does not match the pattern");
        refused(GOOD.replace("\"default\": false", "\"default\": \"maybe\""), "/parameters/VERBOSE/default", 16,
                "not a boolean");
    }

    @Test
    void anOutputDeclaredTwiceIsRefused() throws IOException {
        refused(GOOD.replace("{\"id\": \"stdout\"", "{\"id\": \"out.gz\""), "/outputs/1", 20,
                "the output out.gz is declared twice");
    }

    @Test
    void aCommandThatDoesNotExistIsRefused() throws IOException {
        refused(GOOD.replace("\"command\": \"env\"", "\"command\": \"no-such-command-uwskit\""), "/run/command", 22,
                "the command no-such-command-uwskit is not on the PATH");
        refused(GOOD.replace("\"command\": \"env\"", "\"command\": \"./helper.py\""), "/run/command", 22,
                "is not an executable file");
    }

    @Test
    void argumentsMustNameDeclaredParametersThatAlwaysHaveAValue() throws IOException {
        refused(GOOD.replace("{\"parameter\": \"LEVEL\"}", "{\"parameter\": \"LEVLE\"}"), "/run/arguments/1/parameter",
                23, "the parameter LEVLE is not declared");
        refused(GOOD.replace("{\"parameter\": \"LEVEL\"}", "{\"parameter\": \"WHEN\"}"), "/run/arguments/1/parameter",
                23, "optional without a default");
        refused(GOOD.replace("{\"upload\": \"FILE\"}", "{\"upload\": \"TAG\"}"), "/run/arguments/2/upload", 23,
                "needs a declared FILE parameter; TAG is of type STRING");
        refused(GOOD.replace("{\"path\": \"helper.py\"}", "{\"path\": \"nothere.py\"}"), "/run/arguments/3/path", 23,
                "no file nothere.py beside the definition");
        refused(GOOD.replace("\"-9\",", "\"-9\", {\"shell\": \"rm -rf /\"},"), "/run/arguments/1/shell", 23,
                "unknown key \"shell\"");
    }

    @Test
    void wrongKindsAndBadJsonAreRefusedWithTheirPlace() throws IOException {
        refused(GOOD.replace("\"min\": 1,", "\"min\": \"1\","), "/parameters/LEVEL/min", 10, "expected a number");
        refused(GOOD.replace("\"type\": \"real\"", "\"type\": \"float\""), "/parameters/RATIO/type", 11,
                "unknown type 'float'");
        refused(GOOD.replace("\"name\": \"pack\"", "\"name\": \"a/b\""), "/name", 3, "must be 1 to 64 characters");
        refused(GOOD.replace("\"version\": \"1.2\",", "\"version\": \"1.2\", \"version\": \"2\","), "/version", 5,
                "appears twice");
        refused(GOOD.replace("\"LEVEL\": {", "\"PHASE\": {"), "/parameters/PHASE", 10, "UWS control parameter");
        refused(GOOD.replace("\"min\": 1, \"max\": 9", "\"min\": 9, \"max\": 1"), "/parameters/LEVEL", 10,
                "min > max");
        refused("{\"name\": \"x\",", "", 1, "not valid JSON");
        refused("[".repeat(5000), "", 0, "not valid JSON");
        refused("{\"name\": \"x\"}", "", 1, "the key \"run\" is required");
    }

    @Test
    void aDirectoryIsLoadedInNameOrderAndTwoFilesMayNotDefineOneName() throws IOException {
        write("helper.py", "");
        write("b.json", GOOD);
        write("a.json", GOOD.replace("\"name\": \"pack\"", "\"name\": \"other\""));
        write("notes.txt", "not a definition");
        assertThat(DefinitionLoader.defaults().loadDirectory(dir)).extracting(d -> d.definition().name())
                .containsExactly("other", "pack");
        write("c.json", GOOD.replace("\"name\": \"pack\"", "\"name\": \"PACK\""));
        assertThatThrownBy(() -> DefinitionLoader.defaults().loadDirectory(dir))
                .hasMessageContaining("c.json").hasMessageContaining("already defined by b.json");
    }

    @Test
    void theFormatSchemaIsPublishedWithTheLibrary() throws IOException {
        try (var in = DefinitionLoader.schema()) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(s).contains("\"$id\": \"" + DefinitionLoader.SCHEMA_ID + "\"",
                    "https://json-schema.org/draft/2020-12/schema");
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        }
    }
}
