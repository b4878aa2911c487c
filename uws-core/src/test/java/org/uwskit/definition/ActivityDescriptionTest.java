package org.uwskit.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.JobDefinition;
import org.uwskit.OutputDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;

/** VOTable job definitions as OPUS writes them (voprov:ActivityDescription), read into the same model as JSON. */
class ActivityDescriptionTest {
    @TempDir
    Path dir;

    /** An OPUS-style definition written for this test: every kind of input, an upload and an output. */
    static final String GOOD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <VOTABLE xmlns="http://www.ivoa.net/xml/VOTable/v1.3" version="1.3">
              <RESOURCE ID="append_text" name="append_text" type="meta" utype="voprov:ActivityDescription">
                <DESCRIPTION>Appends a text to an uploaded file</DESCRIPTION>
                <PARAM name="doculink" value="https://example.org/doc" arraysize="*" datatype="char"/>
                <PARAM name="type" value="test" arraysize="*" datatype="char"/>
                <PARAM name="subtype" value="text" arraysize="*" datatype="char"/>
                <PARAM name="version" value="1.4" arraysize="*" datatype="char"/>
                <PARAM name="contact_name" value="someone" arraysize="*" datatype="char"/>
                <PARAM name="contact_email" value="someone@example.org" arraysize="*" datatype="char"/>
                <PARAM name="executionDuration" value="30" datatype="int" utype="uws:Job.executionDuration"/>
                <PARAM name="quote" value="5" datatype="int" utype="uws:Job.quote"/>
                <PARAM name="script" value="cat &quot;$input&quot; &gt; &quot;$output&quot;&#13;&#10;printf '%s x%s\\n' &quot;$text&quot; &quot;$count&quot; &gt;&gt; &quot;$output&quot;&#13;&#10;" arraysize="*" datatype="char"/>
                <GROUP name="InputParams">
                  <PARAM ID="text" name="text" datatype="char" arraysize="*" value="hello">
                    <DESCRIPTION>what to append</DESCRIPTION>
                  </PARAM>
                  <PARAM name="count" datatype="int" value="2" unit="ct" ucd="meta.number">
                    <DESCRIPTION>how many times</DESCRIPTION>
                    <VALUES><MIN value="1"/><MAX value="10"/></VALUES>
                  </PARAM>
                  <PARAM name="scale" datatype="double" type="no_query"/>
                  <PARAM name="mode" datatype="char" arraysize="*" value="fast">
                    <VALUES><OPTION value="fast"/><OPTION value="best"/></VALUES>
                  </PARAM>
                  <PARAM name="verbose" datatype="boolean" value="false"/>
                  <PARAM name="label" datatype="char" arraysize="*"/>
                </GROUP>
                <GROUP name="Used">
                  <GROUP name="input" utype="voprov:UsedDescription">
                    <DESCRIPTION>the file to extend</DESCRIPTION>
                    <PARAM name="role" value="" arraysize="*" datatype="char"/>
                    <PARAM name="multiplicity" value="1" arraysize="*" datatype="char"/>
                    <PARAM name="default" value="input.txt" arraysize="*" datatype="char"/>
                    <PARAM name="content_type" value="text/plain" arraysize="*" datatype="char"/>
                    <PARAM name="url" value="file://$ID" arraysize="*" datatype="char"/>
                  </GROUP>
                </GROUP>
                <GROUP name="Generated">
                  <GROUP name="output" utype="voprov:WasGeneratedBy">
                    <DESCRIPTION>the extended file</DESCRIPTION>
                    <PARAM name="role" value="" arraysize="*" datatype="char"/>
                    <PARAM name="multiplicity" value="" arraysize="*" datatype="char"/>
                    <PARAM name="default" value="output.txt" arraysize="*" datatype="char"/>
                    <PARAM name="content_type" value="text/plain" arraysize="*" datatype="char"/>
                  </GROUP>
                </GROUP>
              </RESOURCE>
            </VOTABLE>
            """;

    Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    LoadedDefinition load(String text) throws IOException {
        return DefinitionLoader.defaults().load(write("d.xml", text));
    }

    DefinitionException refused(String text) {
        return org.junit.jupiter.api.Assertions.assertThrows(DefinitionException.class, () -> load(text));
    }

    @Test
    void anActivityDescriptionMapsOntoTheSameModelAsAJsonFile() throws IOException {
        LoadedDefinition d = load(GOOD);
        JobDefinition def = d.definition();
        assertThat(def.name()).isEqualTo("append_text");
        assertThat(def.description()).isEqualTo("Appends a text to an uploaded file");
        assertThat(def.version()).isEqualTo("1.4");

        ParameterDefinition text = def.parameters().get("TEXT");
        assertThat(text.type()).isEqualTo(ParameterType.STRING);
        assertThat(text.defaultValue()).isEqualTo("hello");
        assertThat(text.required()).isFalse();
        assertThat(text.description()).isEqualTo("what to append");
        ParameterDefinition count = def.parameters().get("COUNT");
        assertThat(count.type()).isEqualTo(ParameterType.INTEGER);
        assertThat(count.min()).isEqualTo(1.0);
        assertThat(count.max()).isEqualTo(10.0);
        assertThat(count.unit()).isEqualTo("ct");
        assertThat(count.ucd()).isEqualTo("meta.number");
        ParameterDefinition scale = def.parameters().get("SCALE");
        assertThat(scale.type()).isEqualTo(ParameterType.REAL);
        assertThat(scale.required()).isFalse();
        assertThat(def.parameters().get("MODE").type()).isEqualTo(ParameterType.ENUMERATED);
        assertThat(def.parameters().get("MODE").options()).containsExactly("fast", "best");
        assertThat(def.parameters().get("VERBOSE").type()).isEqualTo(ParameterType.BOOLEAN);
        assertThat(def.parameters().get("LABEL").required())
                .as("no default and not no_query: OPUS requires it").isTrue();
        ParameterDefinition input = def.parameters().get("INPUT");
        assertThat(input.type()).isEqualTo(ParameterType.FILE);
        assertThat(input.required()).isTrue();
        assertThat(input.contentTypes()).containsExactly("text/plain");
        assertThat(def.outputs()).containsExactly(new OutputDefinition("output.txt", "text/plain",
                "the extended file"));

        CommandSpec run = d.command();
        assertThat(run.executable().getFileName()).hasToString("sh");
        assertThat(run.arguments()).containsExactly(
                new CommandSpec.Value(CommandSpec.Source.LITERAL, "-c"),
                new CommandSpec.Value(CommandSpec.Source.LITERAL, "cat \"$input\" > \"$output\"\n"
                        + "printf '%s x%s\\n' \"$text\" \"$count\" >> \"$output\"\n"));
        Map<String, CommandSpec.Value> env = run.environment();
        assertThat(env).containsEntry("text", new CommandSpec.Value(CommandSpec.Source.PARAMETER, "text"))
                .containsEntry("count", new CommandSpec.Value(CommandSpec.Source.PARAMETER, "count"))
                .containsEntry("input", new CommandSpec.Value(CommandSpec.Source.UPLOAD, "input"))
                .containsEntry("output", new CommandSpec.Value(CommandSpec.Source.LITERAL, "output.txt"));
        assertThat(run.resources().maxDurationSeconds()).isEqualTo(30L);
    }

    @Test
    void aDirectoryMayMixJsonAndVoTableFiles() throws IOException {
        write("a.xml", GOOD);
        write("b.json", """
                {"name": "b", "run": {"command": "env"}}
                """);
        write("notes.txt", "ignored");
        List<LoadedDefinition> all = DefinitionLoader.defaults().loadDirectory(dir);
        assertThat(all).extracting(l -> l.definition().name()).containsExactly("append_text", "b");
    }

    @Test
    void aDefaultOutsideItsRangeIsRefusedAtTheVoTableElement() {
        DefinitionException e = refused(GOOD.replace("name=\"count\" datatype=\"int\" value=\"2\"",
                "name=\"count\" datatype=\"int\" value=\"12\""));
        assertThat(e.pointer()).isEqualTo("/VOTABLE/RESOURCE[@name='append_text']/GROUP[@name='InputParams']"
                + "/PARAM[@name='count']/@value");
        assertThat(e.line()).isEqualTo(18);
        assertThat(e.problem()).contains("the default does not fit its own parameter", "12");
    }

    @Test
    void anUnknownParamOfTheDescriptionIsRefusedWithWhatIsAllowed() {
        DefinitionException e = refused(GOOD.replace("<PARAM name=\"type\"", "<PARAM name=\"tpye\""));
        assertThat(e.problem()).contains("unknown PARAM 'tpye'", "doculink", "script");
        assertThat(e.line()).isEqualTo(6);
    }

    @Test
    void aBoundThatIsNotANumberIsRefused() {
        DefinitionException e = refused(GOOD.replace("<MIN value=\"1\"/>", "<MIN value=\"one\"/>"));
        assertThat(e.pointer()).endsWith("/PARAM[@name='count']/VALUES/MIN/@value");
        assertThat(e.problem()).contains("expected a number", "one");
    }

    @Test
    void onlyUploadedInputsAreSupported() {
        DefinitionException e = refused(GOOD.replace("value=\"file://$ID\"",
                "value=\"https://archive.example.org/get?ID=$ID\""));
        assertThat(e.problem()).contains("only uploaded inputs", "https://archive.example.org");
    }

    @Test
    void aDefinitionWithoutAScriptIsRefused() {
        DefinitionException e = refused(GOOD.replaceAll("<PARAM name=\"script\"[^>]*/>", ""));
        assertThat(e.problem()).contains("has no script");
    }

    @Test
    void twoInputsOfOneNameAreRefused() {
        DefinitionException e = refused(GOOD.replace("<GROUP name=\"input\"", "<GROUP name=\"TEXT\""));
        assertThat(e.problem()).contains("TEXT is declared twice");
    }

    @Test
    void aNameThatCannotBeAVariableIsRefused() {
        DefinitionException e = refused(GOOD.replace("name=\"label\"", "name=\"the.label\""));
        assertThat(e.problem()).contains("'the.label' is not a valid environment variable name");
    }

    @Test
    void aFileThatIsNotAnActivityDescriptionIsRefused() {
        assertThat(refused("<VOTABLE><RESOURCE type=\"results\"/></VOTABLE>").problem())
                .contains("no RESOURCE with utype=\"voprov:ActivityDescription\"");
        assertThat(refused("<TABLE/>").problem()).contains("expected a VOTABLE document");
        assertThat(refused("<VOTABLE><RESOURCE").problem()).contains("not well-formed XML");
    }

    @Test
    void externalEntitiesAreNeverRead() throws IOException {
        Path secret = write("secret.txt", "top secret");
        DefinitionException e = refused("<?xml version=\"1.0\"?>\n<!DOCTYPE VOTABLE [<!ENTITY x SYSTEM \""
                + secret.toUri() + "\">]>\n" + GOOD.substring(GOOD.indexOf("<VOTABLE"))
                .replace("Appends a text", "&x; Appends a text"));
        assertThat(e.getMessage()).doesNotContain("top secret");
    }
}
