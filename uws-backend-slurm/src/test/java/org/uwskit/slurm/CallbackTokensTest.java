package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.uwskit.slurm.internal.CallbackTokens;

/** The per-job callback tokens: HMAC-SHA256 of the job id under the service's secret, one job's useless for another. */
class CallbackTokensTest {
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aTokenIsTheHmacOfTheJobIdUnderTheSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal("uws-slurm-callback|job1"
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(new CallbackTokens(SECRET).token("job1")).isEqualTo(expected).hasSize(64);
    }

    @Test
    void aTokenMatchesItsJobOnly() {
        CallbackTokens t = new CallbackTokens(SECRET);
        String token = t.token("job1");
        assertThat(t.matches("job1", token)).isTrue();
        assertThat(t.matches("job1", " " + token + "\n")).as("surrounding blanks").isTrue();
        assertThat(t.matches("job2", token)).as("another job").isFalse();
        assertThat(t.matches("job1", token.toUpperCase())).isFalse();
        assertThat(t.matches("job1", token.substring(1))).isFalse();
        assertThat(t.matches("job1", token + "0")).isFalse();
        assertThat(t.matches("job1", "")).isFalse();
        assertThat(t.matches("job1", null)).isFalse();
        assertThat(t.matches(null, token)).isFalse();
    }

    @Test
    void anotherSecretGivesOtherTokensAndARandomSecretDiffersPerBackend() {
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        assertThat(new CallbackTokens(other).token("job1")).isNotEqualTo(new CallbackTokens(SECRET).token("job1"));
        assertThat(CallbackTokens.random().token("job1")).isNotEqualTo(CallbackTokens.random().token("job1"));
    }

    @Test
    void theSecretIsCopiedLongEnoughAndNeverShown() {
        byte[] s = SECRET.clone();
        CallbackTokens t = new CallbackTokens(s);
        String before = t.token("job1");
        s[0] ^= 1;
        assertThat(t.token("job1")).as("changing the caller's array later").isEqualTo(before);
        assertThat(t.toString()).doesNotContain("0123456789");
        assertThatThrownBy(() -> new CallbackTokens(new byte[31])).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> SlurmBackend.builder().callbackSecret(new byte[8]))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> SlurmBackend.builder().callbackUrl(java.net.URI.create("file:/x")))
                .hasMessageContaining("http");
    }
}
