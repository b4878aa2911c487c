package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 8 finding 6: no Java exception class names in the text of a 4xx. */
class ErrorMappingTest {
    @Test
    void qualifiedExceptionNamesAreRemovedFromClientMessages() {
        assertThat(ErrorMapping.withoutJavaTypes("malformed multipart/form-data body: "
                + "org.eclipse.jetty.http.BadMessageException: 400: bad multipart"))
                .isEqualTo("malformed multipart/form-data body: 400: bad multipart");
        assertThat(ErrorMapping.withoutJavaTypes("x java.io.IOException: closed"))
                .isEqualTo("x closed");
        // ordinary text, dotted names and values stay
        assertThat(ErrorMapping.withoutJavaTypes("PHASE='RUN.x' is not a UWS phase; see uws.xsl"))
                .isEqualTo("PHASE='RUN.x' is not a UWS phase; see uws.xsl");
    }
}
