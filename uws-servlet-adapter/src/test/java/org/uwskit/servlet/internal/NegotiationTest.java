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
    void browsersGetHtmlWhenItIsOfferedLast_item18() {
        List<String> withHtml = List.of("application/xml", "text/xml", "application/json", "text/html");
        String chromium = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
        assertThat(Negotiation.choose(chromium, withHtml)).isEqualTo("text/html");
        assertThat(Negotiation.choose("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", withHtml))
                .isEqualTo("text/html");
        assertThat(Negotiation.choose("text/html", withHtml)).isEqualTo("text/html");
        assertThat(Negotiation.choose(null, withHtml)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("*/*", withHtml)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("text/*", withHtml)).isEqualTo("text/xml");
        assertThat(Negotiation.choose("application/xml,text/plain", withHtml)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("text/html, application/xml", withHtml)).isEqualTo("application/xml");
        assertThat(Negotiation.choose("text/html;q=0.5, application/xml", withHtml)).isEqualTo("application/xml");
    }

    /** Java clients (STILTS taplint, TOPCAT) send the JDK's default Accept header: they must get XML, not HTML. */
    @Test
    void theJdkDefaultAcceptHeaderDoesNotAskForHtml_item18() {
        String jdk = "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2";
        assertThat(Negotiation.mayChooseHtml(jdk)).isFalse();
        assertThat(Negotiation.mayChooseHtml(null)).isFalse();
        assertThat(Negotiation.mayChooseHtml("*/*")).isFalse();
        assertThat(Negotiation.mayChooseHtml("text/html;q=0")).isFalse();
        assertThat(Negotiation.mayChooseHtml("text/html")).isTrue();
        assertThat(Negotiation.mayChooseHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).isTrue();
        assertThat(Negotiation.mayChooseHtml("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                + "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")).isTrue();
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
