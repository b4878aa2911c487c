package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.definition.DefinitionLoader;

/**
 * The example server with {@code --definitions examples/definitions}: each file is served at once as a job list of
 * its own name; its descriptions pass real consumers (python3-jsonschema for both JSON Schemas, xmllint against
 * the official VOTable.xsd and STILTS votlint for the DataLink descriptor, pyvo reading the descriptor and creating
 * a job from it that completes); ETag and 304; bad definition files stop the server at start with the place.
 */
class DefinitionsIT {
    static final String PYTHON = "/usr/bin/python3";
    static final Path DEFINITIONS = Path.of(System.getProperty("uwskit.examples.definitions", "definitions"));
    static final Path VOTABLE_XSD = Path.of(System.getProperty("uwskit.votable.xsd", "../scripts/schemas/VOTable.xsd"));
    @TempDir
    static Path data;
    static ExampleServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = ExampleServer.start(ExampleOptions.builder().port(0).store(ExampleOptions.STORE_MEMORY)
                .dataDir(data.resolve("data")).definitionsDir(DEFINITIONS).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eachFileIsAJobListOfItsOwnNameWithItsDescriptionUrlPrinted() {
        assertThat(server.jobListUrls()).containsKeys("checksum", "waveform", "wordfreq");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        server.printUrls(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("job list checksum: " + server.baseUri() + "uws/checksum",
                "job type waveform description: " + server.baseUri() + "uws/waveform/definitions/waveform",
                "service descriptions: " + server.baseUri() + "uws/openapi.json (OpenAPI 3.1), " + server.baseUri()
                        + "uws/capabilities (VOSI capabilities)");
    }

    @Test
    void theDescriptionsPassRealConsumersAndAJobMadeFromThemCompletes() throws Exception {
        Path out = Files.createDirectories(data.resolve("published"));
        Path formatSchema = out.resolve("job-definition.schema.json");
        try (InputStream in = DefinitionLoader.schema()) {
            Files.copy(in, formatSchema);
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON,
                Path.of(System.getProperty("uwskit.examples.python", "src/test/python"), "definitions_check.py")
                        .toAbsolutePath().toString(), formatSchema.toString(), out.toString(),
                DEFINITIONS.resolve("checksum.json").toAbsolutePath().toString(),
                DEFINITIONS.resolve("waveform.json").toAbsolutePath().toString(), "--"));
        server.definitionUrls().values().forEach(u -> cmd.add(u.toString()));
        Command.Outcome r = Command.run(cmd, data, Duration.ofSeconds(120));
        System.out.println(r.output());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("OK definition file waveform.json is valid",
                "OK pyvo parses the VOSI capabilities pedantically",
                "OK a checksum job created from what pyvo read completes",
                "OK a waveform job created from what pyvo read completes",
                "OK a wordfreq job created from what pyvo read completes with ['provenance', 'stderr', 'stdout', 'words.csv']",
                "ALL OK");

        for (String type : List.of("checksum", "waveform", "wordfreq")) {
            // the ProvDM ActivityDescription of the type passes the same validators as its service descriptor
            HttpResponse<String> activity = HTTP.send(HttpRequest.newBuilder(URI.create(
                    server.definitionUrls().get(type) + "?FORMAT=activity")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(activity.statusCode()).isEqualTo(200);
            assertThat(activity.body()).contains("utype=\"voprov:ActivityDescription\"");
            Files.writeString(out.resolve(type + ".activity.vot"), activity.body());
            lint(out.resolve(type + ".activity.vot"));
            lint(out.resolve(type + ".vot"));
        }
    }

    /** xmllint against the official VOTable.xsd, and STILTS votlint, find nothing wrong. */
    private static void lint(Path vot) throws Exception {
        Command.Outcome lint = Command.run(List.of("/usr/bin/xmllint", "--noout", "--schema",
                VOTABLE_XSD.toAbsolutePath().toString(), vot.toString()), data, Duration.ofSeconds(60));
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("validates");
        Command.Outcome votlint = Command.run(List.of("/usr/bin/stilts", "votlint", "votable=" + vot),
                data, Duration.ofSeconds(120));
        assertThat(votlint.exitCode()).as(votlint.output()).isZero();
        assertThat(votlint.output()).as("votlint on " + vot.getFileName() + " reports nothing")
                .doesNotContain("ERROR", "WARNING");
    }

    @Test
    void theOpenApiDocumentOfTheServicePassesSwaggerParser() throws Exception {
        URI u = server.baseUri().resolve("uws/openapi.json");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        io.swagger.v3.parser.core.models.ParseOptions options = new io.swagger.v3.parser.core.models.ParseOptions();
        options.setResolve(true);
        io.swagger.v3.parser.core.models.SwaggerParseResult parsed = new io.swagger.v3.parser.OpenAPIV3Parser()
                .readContents(r.body(), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(new io.swagger.v3.parser.OpenAPIV3Parser().readContents(r.body().replace("\"responses\"",
                "\"answers\""), null, options).getMessages()).as("the validator notices a broken document")
                .anyMatch(m -> m.contains("responses"));
        io.swagger.v3.oas.models.OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getServers().get(0).getUrl()).isEqualTo(server.baseUri() + "uws");
        assertThat(api.getPaths()).containsKeys("/demo", "/wordcount", "/checksum", "/waveform/{jobId}",
                "/waveform/{jobId}/phase", "/waveform/{jobId}/results/{resultId}", "/waveform/{jobId}/parameters/{name}",
                "/waveform/definitions/{type}");
        assertThat(api.getPaths().get("/checksum").getPost().getResponses()).containsKeys("303", "400", "403", "413");
        assertThat(api.getPaths().get("/checksum/{jobId}").getDelete().getResponses()).containsKeys("303", "403", "404");
        io.swagger.v3.oas.models.media.Schema<?> create = api.getComponents().getSchemas().get("create-waveform");
        assertThat(create.getAllOf()).hasSize(2);
        assertThat(create.getAllOf().get(1).getProperties()).containsKeys("FUNCTION", "POINTS", "PERIODS");
        io.swagger.v3.oas.models.media.Schema<?> points =
                (io.swagger.v3.oas.models.media.Schema<?>) create.getAllOf().get(1).getProperties().get("POINTS");
        assertThat(points.getMaximum()).isEqualByComparingTo("10000");
        assertThat(api.getComponents().getSchemas()).containsKey("RUNID");
    }

    @Test
    void descriptionsCarryAnEtagAndAnswerIfNoneMatchWith304() throws Exception {
        URI u = server.definitionUrls().get("waveform");
        HttpResponse<String> first = HTTP.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(u).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        HttpResponse<String> vot = HTTP.send(HttpRequest.newBuilder(u).header("If-None-Match", etag)
                .header("Accept", "application/x-votable+xml").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(vot.statusCode()).as("another representation, another tag").isEqualTo(200);
        assertThat(vot.body()).contains("utype=\"adhoc:service\"");
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(u + "x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(none.body()).contains("no job type 'waveformx'");
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(u).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void descriptionsFollowTheJobListsAccessRule(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users.txt"), "alice:wonderland\n");
        try (ExampleServer s = ExampleServer.start(ExampleOptions.builder().port(0).store(ExampleOptions.STORE_MEMORY)
                .dataDir(dir.resolve("data")).usersFile(users).definitionsDir(DEFINITIONS).build())) {
            URI u = s.definitionUrls().get("checksum");
            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(u).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            String basic = "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> alice = HTTP.send(HttpRequest.newBuilder(u).header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(alice.statusCode()).isEqualTo(200);
            assertThat(alice.body()).contains("\"required\" : [ \"FILE\" ]");
            HttpResponse<String> index = HTTP.send(HttpRequest.newBuilder(URI.create(s.jobListUrls().get("checksum")
                    + "/definitions")).header("Authorization", basic).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains("\"name\" : \"checksum\"", "\"id\" : \"stdout\"");
        }
    }

    @Test
    void aBadDefinitionStopsTheServerAtStartWithThePlace(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.json"), Files.readString(DEFINITIONS.resolve("checksum.json"))
                .replace("\"maxSize\": 10485760,", "\"maxSize\": 10485760, \"colour\": \"red\","));
        assertThatThrownBy(() -> ExampleServer.start(ExampleOptions.builder().port(0).store(ExampleOptions.STORE_MEMORY)
                .dataDir(dir.resolve("data")).definitionsDir(dir).build()))
                .isInstanceOf(ExampleOptions.BadOptionException.class)
                .hasMessageContaining("bad.json: /parameters/FILE/colour (line 11")
                .hasMessageContaining("unknown key \"colour\"");
    }
}
