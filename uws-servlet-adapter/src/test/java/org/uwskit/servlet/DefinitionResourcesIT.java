package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.servlet.TestServer.Reply;

/**
 * The job type descriptions at {@code {mount}/{jobList}/definitions[/{type}]} in real Jetty: the job list's access
 * rule, negotiation, the selector of a list with two job types, ETag/304, 404/405/406, and no UWS resource shadowed.
 */
class DefinitionResourcesIT {
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        JobDefinition fast = JobDefinition.builder("fast").description("quick one").version("2.0")
                .parameter(ParameterDefinition.builder("N", ParameterType.INTEGER).min(1).max(5).defaultValue("2")
                        .unit("s").ucd("time.duration").description("how many"))
                .build();
        JobDefinition slow = JobDefinition.builder("slow")
                .parameter(ParameterDefinition.builder("MODE", ParameterType.ENUMERATED).options("a", "b").required())
                .strict().build();
        JobList two = JobList.builder("two").definition(fast).definition(slow)
                .policy(JobListPolicy.builder().allowAnonymous(true).build()).build();
        s = new TestServer(p -> { }, b -> { }, j -> j.jobList(two));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void theJobListsAccessRuleApplies() throws Exception {
        assertThat(s.get("/demo/definitions", null).status()).isEqualTo(403);
        assertThat(s.get("/demo/definitions/demo", null).status()).isEqualTo(403);
        assertThat(s.get("/demo/definitions", "alice").status()).isEqualTo(200);
        assertThat(s.get("/demo/definitions/demo", "alice").status()).isEqualTo(200);
        assertThat(s.get("/two/definitions/fast", null).status()).isEqualTo(200);
    }

    @Test
    void theIndexAndBothFormatsDescribeEachJobTypeWithTheSelector() throws Exception {
        Reply index = s.get("/two/definitions", null);
        assertThat(index.header("Content-Type")).startsWith("application/json");
        assertThat(index.text()).contains("\"selector\" : \"type\"", "\"name\" : \"fast\"", "\"version\" : \"2.0\"",
                "\"parametersSchema\" : \"" + s.base + "/two/definitions/fast?FORMAT=schema\"",
                "\"serviceDescriptor\" : \"" + s.base + "/two/definitions/slow?FORMAT=votable\"");
        Reply schema = s.get("/two/definitions/slow", null);
        assertThat(schema.header("Content-Type")).startsWith("application/schema+json");
        assertThat(schema.text()).contains("\"$id\" : \"" + s.base + "/two/definitions/slow\"",
                "\"type\" : {\n      \"const\" : \"slow\"", "\"enum\" : [ \"a\", \"b\" ]",
                "\"required\" : [ \"type\", \"MODE\" ]", "\"additionalProperties\" : false");
        Reply vot = s.get("/two/definitions/fast", null, "Accept", "application/x-votable+xml");
        assertThat(vot.header("Content-Type")).startsWith("application/x-votable+xml");
        assertThat(vot.text()).contains("<RESOURCE type=\"meta\" utype=\"adhoc:service\" ID=\"fast\"",
                "<PARAM name=\"accessURL\" datatype=\"char\" arraysize=\"*\" value=\"" + s.base + "/two\"",
                "<PARAM name=\"type\" datatype=\"char\" arraysize=\"*\" value=\"fast\"><VALUES><OPTION value=\"fast\"/>",
                "<PARAM name=\"N\" datatype=\"long\" unit=\"s\" ucd=\"time.duration\" value=\"2\">",
                "<MIN value=\"1\"/><MAX value=\"5\"/>");
        assertThat(s.get("/two/definitions/fast?FORMAT=votable", null).text()).isEqualTo(vot.text());
        Reply activity = s.get("/two/definitions/fast?FORMAT=activity", null);
        assertThat(activity.header("Content-Type")).startsWith("application/x-votable+xml");
        assertThat(activity.text()).contains("utype=\"voprov:ActivityDescription\"", "<GROUP name=\"InputParams\">",
                "<PARAM name=\"N\" datatype=\"long\" type=\"no_query\" unit=\"s\" ucd=\"time.duration\" value=\"2\">",
                "<MIN value=\"1\"/><MAX value=\"5\"/>");
        assertThat(index.text()).contains("\"activityDescription\" : \"" + s.base
                + "/two/definitions/fast?FORMAT=activity\"");
        assertThat(s.get("/two/definitions/fast?FORMAT=xls", null).status()).isEqualTo(400);
        assertThat(s.get("/two/definitions/fast", null, "Accept", "image/png").status()).isEqualTo(406);
    }

    @Test
    void theOpenApiDocumentListsOnlyTheJobListsTheCallerMayUse() throws Exception {
        Reply anonymous = s.get("/openapi.json", null);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.text()).contains("\"openapi\" : \"3.1.0\"", "\"/two/{jobId}/phase\"", "\"create-two\"",
                "\"oneOf\"").doesNotContain("\"/demo\"");
        assertThat(s.get("/openapi.json", "alice").text()).contains("\"/demo\"", "\"/demo/{jobId}/results/{resultId}\"");
        assertThat(anonymous.header("ETag")).isNotNull();
        assertThat(s.post("/openapi.json", null, "a", "b").status()).isEqualTo(405);
        Reply caps = s.get("/capabilities", null);
        assertThat(caps.status()).isEqualTo(200);
        assertThat(caps.text()).contains("standardID=\"ivo://ivoa.net/std/VOSI#capabilities\"",
                "<accessURL use=\"base\">" + s.base + "/two</accessURL>",
                "<accessURL use=\"full\">" + s.base + "/two/definitions</accessURL>",
                "<param use=\"required\"><name>type</name>", "<name>N</name><description>how many</description>"
                        + "<unit>s</unit><ucd>time.duration</ucd><dataType>integer</dataType>")
                .doesNotContain(s.base + "/demo<");
        assertThat(s.get("/capabilities", "alice").text()).contains("<accessURL use=\"base\">" + s.base + "/demo<");
    }

    @Test
    void etagsAnswerIfNoneMatch() throws Exception {
        Reply first = s.get("/two/definitions/fast", null);
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(s.get("/two/definitions/fast", null, "If-None-Match", etag).status()).isEqualTo(304);
        assertThat(s.get("/two/definitions/fast", null, "If-None-Match", "W/" + etag).status()).isEqualTo(304);
        assertThat(s.get("/two/definitions/slow", null, "If-None-Match", etag).status()).isEqualTo(200);
    }

    @Test
    void unknownTypesAndOtherMethodsAreRefusedAndJobsAreNotShadowed() throws Exception {
        Reply none = s.get("/two/definitions/medium", null);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.text()).contains("no job type 'medium' in job list two; it offers [fast, slow]");
        Reply post = s.post("/two/definitions", null, "N", "1");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(s.method("DELETE", "/two/definitions/fast", null).status()).isEqualTo(405);
        assertThat(s.get("/nolist/definitions", null).status()).isEqualTo(404);
        // jobs and their sub-resources still route as before
        String id = s.create("alice");
        assertThat(s.get("/demo/" + id + "/phase", "alice").text()).isEqualTo("PENDING");
        assertThat(s.get("/demo/definitions/demo/extra", "alice").status()).isEqualTo(404);
    }
}
