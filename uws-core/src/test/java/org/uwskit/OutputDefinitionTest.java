package org.uwskit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Declared outputs, version, and the new parameter attributes (pattern, content types, size) of the builders. */
class OutputDefinitionTest {
    @Test
    void outputsKeepTheirOrderAndMayNotBeDeclaredTwice() {
        JobDefinition d = JobDefinition.builder("t").version("1.0")
                .output(new OutputDefinition("b.csv", "text/csv", "table"))
                .output(new OutputDefinition("a.png", "image/png", null)).build();
        assertThat(d.version()).isEqualTo("1.0");
        assertThat(d.outputs()).extracting(OutputDefinition::id).containsExactly("b.csv", "a.png");
        assertThatThrownBy(() -> JobDefinition.builder("t").output(new OutputDefinition("a", null, null))
                .output(new OutputDefinition("a", "text/plain", null))).hasMessage("output a declared twice in t");
        assertThatThrownBy(() -> new OutputDefinition(".hidden", null, null)).hasMessageContaining("not starting with a dot");
        assertThatThrownBy(() -> new OutputDefinition("../x", null, null)).hasMessageContaining("[A-Za-z0-9._-]");
    }

    @Test
    void aPatternChecksTheWholeStringValue() {
        ParameterDefinition p = ParameterDefinition.builder("TAG", ParameterType.STRING).pattern("[a-z]+").build();
        assertThat(p.parse("abc")).isEqualTo("abc");
        assertThatThrownBy(() -> p.parse("abc1")).hasMessage("TAG: 'abc1' does not match the pattern [a-z]+");
        assertThatThrownBy(() -> ParameterDefinition.builder("N", ParameterType.INTEGER).pattern("1").build())
                .hasMessageContaining("a pattern applies to STRING parameters only");
        assertThatThrownBy(() -> ParameterDefinition.builder("S", ParameterType.STRING).pattern("(").build())
                .hasMessageContaining("pattern is not a regular expression");
        assertThatThrownBy(() -> ParameterDefinition.builder("S", ParameterType.STRING).pattern("[a-z]+")
                .defaultValue("ABC").build()).hasMessageContaining("does not match");
    }

    @Test
    void contentTypesAndSizeBelongToFiles() {
        ParameterDefinition f = ParameterDefinition.builder("F", ParameterType.FILE).contentTypes("text/plain")
                .maxSize(10).build();
        assertThat(f.contentTypes()).isEqualTo(List.of("text/plain"));
        assertThat(f.maxSize()).isEqualTo(10L);
        assertThatThrownBy(() -> ParameterDefinition.builder("S", ParameterType.STRING).maxSize(10).build())
                .hasMessageContaining("apply to FILE parameters only");
        assertThatThrownBy(() -> ParameterDefinition.builder("F", ParameterType.FILE).maxSize(0).build())
                .hasMessageContaining("maxSize must be >= 1");
    }
}
