package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.servlet.TestServer.Reply;

/** CHECKLIST items 53, 78, 79, 80: each user sees and changes only their own jobs; admins see all. */
class OwnerIsolationIT {
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
    void item78_listsShowOnlyTheCallersJobs() throws Exception {
        String a = s.create("alice");
        String b = s.create("bob");
        assertThat(s.get("/demo", "alice").xml().all("//uws:jobref/@id")).contains(a).doesNotContain(b);
        assertThat(s.get("/demo", "bob").xml().all("//uws:jobref/@id")).contains(b).doesNotContain(a);
        assertThat(s.get("/demo?PHASE=PENDING", "bob").xml().all("//uws:jobref/uws:ownerId")).containsOnly("bob");
    }

    @Test
    void item79_everyResourceOfAnotherOwnersJobIs403() throws Exception {
        String a = s.create("alice", "outcome", "complete", "P", "1");
        String j = "/demo/" + a;
        for (String sub : List.of("", "/phase", "/executionduration", "/destruction", "/quote", "/owner", "/results",
                "/parameters", "/parameters/P", "/error", "/results/result")) {
            Reply r = s.get(j + sub, "bob");
            assertThat(r.status()).as("GET %s", sub).isEqualTo(403);
            assertThat(r.text()).as(sub).isNotBlank();
        }
        assertThat(s.get(j + "?WAIT=5", "bob").status()).isEqualTo(403);
        assertThat(s.post(j + "/phase", "bob", "PHASE", "RUN").status()).isEqualTo(403);
        assertThat(s.post(j + "/executionduration", "bob", "EXECUTIONDURATION", "5").status()).isEqualTo(403);
        assertThat(s.post(j + "/destruction", "bob", "DESTRUCTION", "2030-01-01T00:00:00Z").status()).isEqualTo(403);
        assertThat(s.post(j + "/parameters", "bob", "P", "2").status()).isEqualTo(403);
        assertThat(s.send(s.request(j + "/parameters/P", "bob").PUT(HttpRequest.BodyPublishers.ofString("3")).build())
                .status()).isEqualTo(403);
        assertThat(s.post(j, "bob", "ACTION", "DELETE").status()).isEqualTo(403);
        assertThat(s.method("DELETE", j, "bob").status()).isEqualTo(403);
        // nothing changed for alice
        assertThat(s.get(j + "/phase", "alice").text()).isEqualTo("PENDING");
        assertThat(s.get(j + "/parameters/P", "alice").text()).isEqualTo("1");
        // anonymous callers are refused too
        assertThat(s.get(j, null).status()).isEqualTo(403);
    }

    @Test
    void item53_item80_ownerIsTheAuthenticatedIdentityAndAdminsSeeAll() throws Exception {
        String a = s.create("alice");
        assertThat(s.get("/demo/" + a + "/owner", "alice").text()).isEqualTo("alice");
        Reply admin = s.send(s.request("/demo/" + a, "root").header("X-Roles", "uws-admin").GET().build());
        assertThat(admin.xml().s("/uws:job/uws:ownerId")).isEqualTo("alice");
        Reply list = s.send(s.request("/demo", "root").header("X-Roles", "uws-admin").GET().build());
        assertThat(list.xml().all("//uws:jobref/@id")).contains(a);
    }
}
