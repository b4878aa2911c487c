package org.uwskit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobDefinitionTest {

    private static final JobDefinition DEF = JobDefinition.builder("cone")
            .parameter(ParameterDefinition.builder("RA", ParameterType.REAL).required().min(0).max(360))
            .parameter(ParameterDefinition.builder("DEC", ParameterType.REAL).required().min(-90).max(90))
            .parameter(ParameterDefinition.builder("MAXREC", ParameterType.INTEGER).defaultValue("100").min(1))
            .parameter(ParameterDefinition.builder("FORMAT", ParameterType.ENUMERATED).options("votable", "csv")
                    .defaultValue("votable"))
            .parameter(ParameterDefinition.builder("VERBOSE", ParameterType.BOOLEAN))
            .parameter(ParameterDefinition.builder("EPOCH", ParameterType.INSTANT))
            .parameter(ParameterDefinition.builder("SOURCE", ParameterType.URI))
            .parameter(ParameterDefinition.builder("BAND", ParameterType.STRING).maxOccurs(2))
            .parameter(ParameterDefinition.builder("TABLE", ParameterType.FILE))
            .build();

    private static List<Parameter> params(String... nameValue) {
        List<Parameter> out = new java.util.ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.add(Parameter.of(nameValue[i], nameValue[i + 1]));
        }
        return out;
    }

    @Test
    void validValuesAreTypedAndDefaultsApplied() {
        TypedParameters t = DEF.validate(params("ra", "10.5", "Dec", "-3", "verbose", "yes",
                "epoch", "2020-01-02T03:04:05", "source", "http://example.org/x", "band", "g", "BAND", "r",
                "table", "param:t1"));
        assertThat(t.getDouble("RA")).isEqualTo(10.5);
        assertThat(t.getDouble("dec")).isEqualTo(-3.0);
        assertThat(t.getLong("MAXREC")).isEqualTo(100L);
        assertThat(t.getString("FORMAT")).isEqualTo("votable");
        assertThat(t.getBoolean("VERBOSE")).isTrue();
        assertThat(t.getInstant("EPOCH")).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
        assertThat(t.getUri("SOURCE")).isEqualTo(URI.create("http://example.org/x"));
        assertThat(t.all("band")).containsExactly("g", "r");
        assertThat(t.getString("TABLE")).isEqualTo("param:t1");
    }

    @Test
    void everyProblemIsCollectedInOneException() {
        assertThatThrownBy(() -> DEF.validate(params("RA", "400", "MAXREC", "ten", "FORMAT", "fits",
                "VERBOSE", "perhaps", "EPOCH", "yesterday", "SOURCE", "relative/path", "BAND", "a", "BAND", "b",
                "BAND", "c")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.problems())
                        .hasSize(8)
                        .anySatisfy(p -> assertThat(p).contains("RA").contains("above the maximum 360"))
                        .anySatisfy(p -> assertThat(p).contains("DEC").contains("missing"))
                        .anySatisfy(p -> assertThat(p).contains("MAXREC").contains("not an integer"))
                        .anySatisfy(p -> assertThat(p).contains("FORMAT").contains("not one of"))
                        .anySatisfy(p -> assertThat(p).contains("VERBOSE").contains("boolean"))
                        .anySatisfy(p -> assertThat(p).contains("EPOCH").contains("ISO 8601"))
                        .anySatisfy(p -> assertThat(p).contains("SOURCE").contains("absolute URI"))
                        .anySatisfy(p -> assertThat(p).contains("BAND").contains("at most 2")));
    }

    @ParameterizedTest
    @CsvSource({"REAL,NaN", "REAL,Infinity", "REAL,abc", "INTEGER,1.5", "INTEGER,''", "BOOLEAN,2",
            "INSTANT,2020-13-01", "URI,'a b'"})
    void badValuesOfEachTypeAreRefused(ParameterType type, String value) {
        JobDefinition d = JobDefinition.builder("t").parameter(ParameterDefinition.builder("X", type)).build();
        assertThatThrownBy(() -> d.validate(params("X", value))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("X");
    }

    @Test
    void lenientDefinitionsKeepUndeclaredParametersAndStrictOnesRefuseThem() {
        List<Parameter> given = params("RA", "1", "DEC", "2", "LANG", "ADQL", "QUERY", "SELECT 1");
        TypedParameters lenient = DEF.validate(given);
        assertThat(lenient.getString("lang")).isEqualTo("ADQL");
        JobDefinition strict = JobDefinition.builder("s").strict()
                .parameter(ParameterDefinition.builder("RA", ParameterType.REAL))
                .parameter(ParameterDefinition.builder("DEC", ParameterType.REAL)).build();
        assertThatThrownBy(() -> strict.validate(given)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("LANG").hasMessageContaining("QUERY");
    }

    @Test
    void controlParametersAreNeverValidated() {
        JobDefinition strict = JobDefinition.builder("s").strict().build();
        TypedParameters t = strict.validate(params("PHASE", "RUN", "runid", "x", "EXECUTIONDURATION", "10",
                "DESTRUCTION", "2030-01-01", "WAIT", "5", "ACTION", "DELETE"));
        assertThat(t.asMap()).isEmpty();
    }

    @Test
    void unboundedMultiplicityTakesAnyNumberOfValues() {
        JobDefinition d = JobDefinition.builder("m")
                .parameter(ParameterDefinition.builder("ID", ParameterType.INTEGER).multiValued()).build();
        List<Parameter> many = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(Parameter.of("id", Integer.toString(i)));
        }
        assertThat(d.validate(many).all("ID")).hasSize(50).startsWith(0L, 1L);
    }

    @Test
    void inconsistentDefinitionsFailAtBuild() {
        assertThatThrownBy(() -> ParameterDefinition.builder("N", ParameterType.INTEGER).defaultValue("x").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParameterDefinition.builder("E", ParameterType.ENUMERATED).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobDefinition.builder("d").parameter(ParameterDefinition.builder("A",
                ParameterType.STRING)).parameter(ParameterDefinition.builder("a", ParameterType.STRING)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
