package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The method check of {@link UwsDispatcher}: a method is allowed only as a whole token of the Allow value. */
class AllowedMethodsTest {

    @Test
    void wholeTokensOnly() {
        String allow = "GET, HEAD, POST, DELETE";
        for (String m : new String[] {"GET", "HEAD", "POST", "DELETE"}) {
            assertThat(UwsDispatcher.allows(allow, m)).as(m).isTrue();
        }
        for (String m : new String[] {"PUT", "GE", "ET", "HEA", "POS", "DELET", "ELETE", "get", "", "GET, HEAD",
                "HEAD,", " POST", "OPTIONS", "PATCH"}) {
            assertThat(UwsDispatcher.allows(allow, m)).as("'%s'", m).isFalse();
        }
        assertThat(UwsDispatcher.allows("GET, HEAD", "HEAD")).isTrue();
        assertThat(UwsDispatcher.allows("GET, HEAD", "POST")).isFalse();
        assertThat(UwsDispatcher.allows("GET, HEAD, PUT", "PUT")).isTrue();
    }
}
