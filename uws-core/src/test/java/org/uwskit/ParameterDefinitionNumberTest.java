package org.uwskit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * INTEGER and REAL values are read by a hand-written scanner; it accepts exactly the strings of the regular
 * expressions that defined the accepted syntax before, checked on every string of up to 5 characters over the
 * characters that matter (and a few others).
 */
class ParameterDefinitionNumberTest {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern REAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final ParameterDefinition I = ParameterDefinition.builder("I", ParameterType.INTEGER).build();
    private static final ParameterDefinition R = ParameterDefinition.builder("R", ParameterType.REAL).build();

    @Test
    void acceptsExactlyWhatTheRegularExpressionsAccepted() {
        List<String> all = new ArrayList<>();
        all.add("");
        expand("", "+-1.eE0x", 5, all);
        int acceptedReals = 0;
        for (String s : all) {
            assertThat(accepts(I, s)).as("INTEGER '%s'", s).isEqualTo(INTEGER.matcher(s).matches());
            boolean real = REAL.matcher(s).matches();
            assertThat(accepts(R, s)).as("REAL '%s'", s).isEqualTo(real);
            acceptedReals += real ? 1 : 0;
        }
        assertThat(all).hasSizeGreaterThan(30_000);
        assertThat(acceptedReals).isGreaterThan(500);
    }

    @Test
    void valuesAndOtherScripts() {
        assertThat(R.parse(" -1.5e3 ")).isEqualTo(-1500.0);
        assertThat(R.parse(".5")).isEqualTo(0.5);
        assertThat(R.parse("2.")).isEqualTo(2.0);
        assertThat(I.parse("+42")).isEqualTo(42L);
        for (String bad : List.of("\u0663", "1d", "1f", "0x1p3", "NaN", "Infinity", ".", "1e", "e5", "--1", "1.2.3")) {
            assertThatThrownBy(() -> R.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a number");
        }
        assertThatThrownBy(() -> I.parse("1.0")).hasMessageContaining("is not an integer");
    }

    private static boolean accepts(ParameterDefinition d, String v) {
        try {
            d.parse(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void expand(String prefix, String chars, int depth, List<String> out) {
        if (depth == 0) {
            return;
        }
        for (char c : chars.toCharArray()) {
            String s = prefix + c;
            out.add(s);
            expand(s, chars, depth - 1, out);
        }
    }
}
