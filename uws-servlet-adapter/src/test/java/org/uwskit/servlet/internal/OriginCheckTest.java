package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The origin arithmetic of the cross-site check (issue 8 finding 8); the HTTP behaviour is in HardeningIT. */
class OriginCheckTest {
    @Test
    void originsAreComparedWithoutDefaultPortsAndCase() {
        assertThat(OriginCheck.normalize("HTTPS://Uws.Example.org:443")).isEqualTo("https://uws.example.org");
        assertThat(OriginCheck.normalize("http://uws.example.org:80/")).isEqualTo("http://uws.example.org");
        assertThat(OriginCheck.normalize("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
        assertThat(OriginCheck.normalize("http://[::1]:8080")).isEqualTo("http://[::1]:8080");
    }

    @Test
    void somethingThatIsNotAnOriginIsNull() {
        assertThat(OriginCheck.normalize("null")).isNull();
        assertThat(OriginCheck.normalize("evil.example")).isNull();
        assertThat(OriginCheck.normalize("http://evil.example/path")).isNull();
        assertThat(OriginCheck.normalize("http://user@evil.example")).isNull();
        assertThat(OriginCheck.normalize("http://exa mple")).isNull();
    }

    @Test
    void badAllowedOriginsAndBaseUrlsAreRefusedAtBuildTime() {
        assertThatThrownBy(() -> new OriginCheck(PublicBaseUrl.fromRequest(), Set.of("portal.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("portal.example");
        assertThatThrownBy(() -> PublicBaseUrl.of(URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PublicBaseUrl.of(URI.create("ftp://x.example")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PublicBaseUrl.of(URI.create("https://x.example/?q=1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PublicBaseUrl.of(URI.create("https://X.example:8443/a/")).origin())
                .isEqualTo("https://x.example:8443");
    }
}
