package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.servlet.TestServer.Xml;

/**
 * CHECKLIST item 60 (MUST): a parameter value that XML cannot carry (here U+0001, legal in a form value) is given
 * by reference in the job and parameters documents, and the reference returns the exact value.
 */
class UnrepresentableValueIT {
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void item60_aValueXmlCannotCarryIsGivenByReference() throws Exception {
        String value = "a\u0001b";
        Reply created = s.post("/demo", "alice", "CTRL", value, "PLAIN", "ok");
        assertThat(created.status()).isEqualTo(303);
        String job = created.header("Location");
        // the exact value is served at /parameters/{name}
        assertThat(s.get(job + "/parameters/CTRL", "alice").text()).isEqualTo(value);
        for (String doc : new String[] {job, job + "/parameters"}) {
            Xml x = s.get(doc, "alice").xml();
            assertThat(x.s("//uws:parameter[@id='PLAIN']")).isEqualTo("ok");
            assertThat(x.s("//uws:parameter[@id='CTRL']/@byReference")).as(doc).isEqualTo("true");
            String href = x.s("//uws:parameter[@id='CTRL']");
            assertThat(s.get(href, "alice").text()).as(doc).isEqualTo(value);
        }
    }
}
