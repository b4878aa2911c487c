package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiationTest {
    private static final List<String> UWS = List.of("application/xml", "text/xml", "application/json");

    @Test
    void xmlIsTheDefault_item18_item20() {
        assertThat(Negotiation.choose(null, UWS)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("*/*", UWS)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("application/xml,text/plain", UWS)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("application/json, application/xml", UWS)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", UWS))
                .isEqualTo("application/xml");
    }

    @Test
    void explicitChoices() {
        assertThat(Negotiation.choose("application/json", UWS)).isEqualTo("application/json");
        assertThat(Negotiation.choose("text/xml", UWS)).isEqualTo("text/xml");
        assertThat(Negotiation.choose("application/xml;q=0.1, application/json", UWS)).isEqualTo("application/json");
        assertThat(Negotiation.choose("text/*", UWS)).isEqualTo("text/xml");
        assertThat(Negotiation.choose("text/html", UWS)).isNull();
        assertThat(Negotiation.choose("application/json;q=0", UWS)).isNull();
        assertThat(Negotiation.choose("*/*;q=0.5, application/json;q=0", UWS)).isEqualTo("application/xml");
    }
}
