package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void satisfiableRanges() throws Exception {
        assertThat(ByteRange.parse("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-1000", 100)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=50-5000", 100)).isEqualTo(new ByteRange(50, 99));
        assertThat(ByteRange.parse("BYTES= 1-1", 100).length()).isEqualTo(1);
    }

    @Test
    void ignoredHeadersServeTheWhole() throws Exception {
        for (String h : new String[] {null, "items=0-1", "bytes=0-1,4-5", "bytes=5-1", "bytes=a-b", "bytes=-", "bytes"}) {
            assertThat(ByteRange.parse(h, 100)).as(h).isNull();
        }
    }

    @Test
    void unsatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=0-", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
