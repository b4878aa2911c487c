package org.uwskit.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.uwskit.InvalidRequestException;

class UwsSchemaTest {
    static final String NS = "xmlns:uws=\"http://www.ivoa.net/xml/UWS/v1.0\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";

    /** A minimal valid job, written by hand so that these tests do not depend on the writer. */
    static String job(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<uws:job " + NS + " version=\"1.1\">\n" + body
                + "\n</uws:job>";
    }

    static final String VALID_BODY = """
            <uws:jobId>j1</uws:jobId>
            <uws:ownerId xsi:nil="true"/>
            <uws:phase>PENDING</uws:phase>
            <uws:quote xsi:nil="true"/>
            <uws:creationTime>2026-01-01T00:00:00.000Z</uws:creationTime>
            <uws:startTime xsi:nil="true"/>
            <uws:endTime xsi:nil="true"/>
            <uws:executionDuration>0</uws:executionDuration>
            <uws:destruction xsi:nil="true"/>
            <uws:parameters/>
            <uws:results><uws:result id="r" xlink:href="http://h/r" size="3" mime-type="text/plain"/></uws:results>""";

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHandWrittenValidJobPasses() {
        assertThatCode(() -> UwsSchema.instance().validate(bytes(job(VALID_BODY)))).doesNotThrowAnyException();
    }

    @Test
    void elementsOutOfOrderAreRejectedWithLineAndColumn() {
        // phase before ownerId: the schema's sequence forbids it
        String swapped = VALID_BODY.replace("<uws:ownerId xsi:nil=\"true\"/>\n<uws:phase>PENDING</uws:phase>",
                "<uws:phase>PENDING</uws:phase>\n<uws:ownerId xsi:nil=\"true\"/>");
        assertThat(swapped).isNotEqualTo(VALID_BODY);
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(job(swapped))))
                .isInstanceOfSatisfying(InvalidUwsDocumentException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.column()).isPositive();
                    assertThat(e.getMessage()).startsWith("line 4, column ").contains("phase").contains("ownerId");
                })
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theWritersOwnOutputBecomesInvalidWhenTwoElementsAreSwapped() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UwsXml.create().writeJob(UwsFixtures.job("completed"), UwsFixtures.LINKS, out);
        String doc = out.toString(StandardCharsets.UTF_8);
        UwsSchema.instance().validate(bytes(doc));
        int start = doc.indexOf("<uws:startTime>");
        int end = doc.indexOf("<uws:executionDuration>");
        String startEl = doc.substring(start, doc.indexOf("<uws:endTime>"));
        String endEl = doc.substring(doc.indexOf("<uws:endTime>"), end);
        String swapped = doc.substring(0, start) + endEl + startEl + doc.substring(end);
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(swapped)))
                .isInstanceOf(InvalidUwsDocumentException.class).hasMessageContaining("endTime");
    }

    @Test
    void missingRequiredElementsBadPhaseAndBadAttributesAreAllListed() {
        String bad = VALID_BODY.replace("<uws:jobId>j1</uws:jobId>\n", "")
                .replace("size=\"3\"", "size=\"three\"");
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(job(bad))))
                .isInstanceOfSatisfying(InvalidUwsDocumentException.class, e -> {
                    assertThat(e.violations()).hasSizeGreaterThanOrEqualTo(2);
                    assertThat(e.getMessage()).contains("jobId").contains("three");
                });
        String badPhase = VALID_BODY.replace(">PENDING<", ">RUNNING<");
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(job(badPhase))))
                .hasMessageContaining("RUNNING");
    }

    @Test
    void nilOnANonNillableElementIsRejected() {
        String bad = VALID_BODY.replace("<uws:creationTime>2026-01-01T00:00:00.000Z</uws:creationTime>",
                "<uws:creationTime xsi:nil=\"true\"/>");
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(job(bad))))
                .isInstanceOf(InvalidUwsDocumentException.class).hasMessageContaining("nil");
    }

    @Test
    void wrongNamespaceIsRejected() {
        String doc = job(VALID_BODY).replace("http://www.ivoa.net/xml/UWS/v1.0", "http://www.ivoa.net/xml/UWS/v1.1");
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(doc)))
                .isInstanceOf(InvalidUwsDocumentException.class);
    }

    @Test
    void malformedXmlIsReportedWithPosition() {
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes("<uws:jobs " + NS + ">\n<uws:jobref>")))
                .isInstanceOfSatisfying(InvalidUwsDocumentException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.violations()).isNotEmpty();
                });
        assertThatThrownBy(() -> UwsSchema.instance().validate(new byte[0]))
                .isInstanceOf(InvalidUwsDocumentException.class);
    }

    @Test
    void doctypesAreRefusedSoNothingIsFetched() {
        String doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE uws:job SYSTEM \"http://127.0.0.1:9/never.dtd\">\n"
                + job(VALID_BODY).substring(job(VALID_BODY).indexOf("<uws:job "));
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(doc)))
                .isInstanceOf(InvalidUwsDocumentException.class).hasMessageContaining("DOCTYPE");
    }

    @Test
    void theXlinkImportIsResolvedFromTheBundledCopy() {
        // an xlink:type outside the bundled xlink.xsd enumeration can only be caught if that schema was loaded
        String bad = VALID_BODY.replace("xlink:href=\"http://h/r\"", "xlink:href=\"http://h/r\" xlink:type=\"bogus\"");
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(job(bad))))
                .isInstanceOf(InvalidUwsDocumentException.class).hasMessageContaining("bogus");
    }

    @Test
    void jobInfoAcceptsAnyElementsAndUnknownAttributesOnResultsOnlyInTheCustomNamespace() {
        String info = VALID_BODY + "\n<uws:jobInfo><progress>5</progress><x:y xmlns:x=\"urn:x\"><z/></x:y></uws:jobInfo>";
        assertThatCode(() -> UwsSchema.instance().validate(bytes(job(info)))).doesNotThrowAnyException();
        String custom = VALID_BODY.replace("size=\"3\"", "size=\"3\" xmlns:c=\"urn:uwscustom\" c:extra=\"1\"");
        assertThatCode(() -> UwsSchema.instance().validate(bytes(job(custom)))).doesNotThrowAnyException();
        String foreign = VALID_BODY.replace("size=\"3\"", "size=\"3\" extra=\"1\"");
        assertThatThrownBy(() -> UwsSchema.instance().validate(bytes(job(foreign))))
                .isInstanceOf(InvalidUwsDocumentException.class).hasMessageContaining("extra");
    }

    @Test
    void streamsAreReadAndLeftOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayInputStream in = new ByteArrayInputStream(bytes(job(VALID_BODY))) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        UwsSchema.instance().validate(in);
        assertThat(closed[0]).isFalse();
    }

    @Test
    void separateInstancesAndConcurrentValidationsAgree() throws Exception {
        UwsSchema own = UwsSchema.load();
        assertThat(own).isNotSameAs(UwsSchema.instance());
        assertThat(UwsSchema.instance()).isSameAs(UwsSchema.instance());
        byte[] good = bytes(job(VALID_BODY));
        byte[] bad = bytes(job(VALID_BODY.replace(">PENDING<", ">NOPE<")));
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "uws-schema-test"));
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] doc = i % 2 == 0 ? good : bad;
                results.add(pool.submit(() -> {
                    try {
                        own.validate(doc);
                        return true;
                    } catch (InvalidUwsDocumentException e) {
                        return false;
                    }
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).as("document " + i).isEqualTo(i % 2 == 0);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
