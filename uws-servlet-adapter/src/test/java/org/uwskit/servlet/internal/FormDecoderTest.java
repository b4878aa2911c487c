package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.uwskit.InvalidRequestException;
import org.uwskit.Parameter;

class FormDecoderTest {

    @Test
    void decodesInOrderWithCaseInsensitiveLookup_item65() {
        Params p = new Params();
        FormDecoder.decode("QUERY=select+%2A&phase=RUN&b=1&B=2&flag&=x&&c=%C3%A9", StandardCharsets.UTF_8, "body", p);
        assertThat(p.first("query")).contains("select *");
        assertThat(p.first("PHASE")).contains("RUN");
        assertThat(p.all("b")).containsExactly("1", "2");
        assertThat(p.first("FLAG")).contains("");
        assertThat(p.first("c")).contains("é");
        assertThat(p.parametersExcept(Set.of("PHASE"))).extracting(Parameter::name)
                .containsExactly("QUERY", "b", "B", "flag", "c");
    }

    @Test
    void malformedEscapesAre400() {
        assertThatThrownBy(() -> FormDecoder.decode("a=%zz", StandardCharsets.UTF_8, "form body", new Params()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("form body");
    }
}
