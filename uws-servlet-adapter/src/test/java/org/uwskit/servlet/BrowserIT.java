package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * CHECKLIST item 18 in a real browser: headless Chromium loads the job list and a job page from Jetty, the DOM it
 * renders shows the jobs, the create form and the RUN/ABORT/DELETE buttons (server-side HTML, no client XSLT), and
 * what those forms submit, read from the rendered DOM, does what they say. Screenshots go to
 * {@code target/browser/} for humans. Chromium is {@code /usr/bin/chromium} (or {@code $UWSKIT_CHROMIUM}); without
 * it the test fails on CI ({@code CI=true}) and is skipped elsewhere with a message.
 */
class BrowserIT {
    private static final long CHROMIUM_TIMEOUT_SECONDS = 60;
    private static final Path OUT = Path.of("target", "browser");
    private static TestServer s;
    private static Path chromium;

    @BeforeAll
    static void start() throws Exception {
        String configured = System.getenv("UWSKIT_CHROMIUM");
        chromium = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium");
        if (!Files.isExecutable(chromium)) {
            // never skipped: Chromium is a test dependency (scripts/install-test-deps.sh)
            fail("BrowserIT needs Chromium: " + chromium + " is not installed (scripts/install-test-deps.sh, "
                    + "apt-get install -y chromium, or set UWSKIT_CHROMIUM)");
        }
        Files.createDirectories(OUT);
        JobList forms = JobList.builder("forms")
                .definition(JobDefinition.builder("sleep").description("Sleeps, then says something")
                        .parameter(ParameterDefinition.builder("SECONDS", ParameterType.INTEGER).defaultValue("1")
                                .min(0).max(60).unit("s").description("how long to sleep"))
                        .parameter(ParameterDefinition.builder("FAIL", ParameterType.BOOLEAN).defaultValue("false")
                                .description("end in ERROR"))
                        .parameter(ParameterDefinition.builder("MESSAGE", ParameterType.STRING).required()
                                .defaultValue("hello").description("what to say"))
                        .parameter(ParameterDefinition.builder("MODE", ParameterType.ENUMERATED)
                                .options("fast", "slow").description("how to sleep"))
                        .parameter(ParameterDefinition.builder("DATA", ParameterType.FILE).description("a file to echo"))
                        .build())
                .policy(JobListPolicy.builder().allowAnonymous(true).maxUploadSize(1 << 20).build()).build();
        s = new TestServer(p -> { }, b -> { }, j -> j.jobList(forms));
    }

    @AfterAll
    static void stop() throws Exception {
        if (s != null) {
            s.close();
        }
    }

    /** Runs headless Chromium with a fresh profile; returns its standard output. */
    private static String chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("uwskit-chromium-");
        try {
            List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile));
            cmd.addAll(List.of(args));
            Path stdout = profile.resolveSibling(profile.getFileName() + ".out");
            Path stderr = profile.resolveSibling(profile.getFileName() + ".err");
            Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            try {
                if (!p.waitFor(CHROMIUM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    fail("chromium did not finish within " + CHROMIUM_TIMEOUT_SECONDS + " s: " + cmd);
                }
                String out = Files.readString(stdout);
                assertThat(p.exitValue()).as("chromium exit status; stderr: %s", Files.readString(stderr)).isZero();
                return out;
            } finally {
                p.destroyForcibly();
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String dumpDom(String url) throws IOException, InterruptedException {
        String dom = chromium("--dump-dom", url);
        assertThat(dom).as("DOM of %s", url).contains("<html");
        return dom;
    }

    private static void screenshot(String url, String name) throws IOException, InterruptedException {
        Path png = OUT.resolve(name).toAbsolutePath();
        Files.deleteIfExists(png);
        chromium("--screenshot=" + png, "--window-size=1200,900", "--hide-scrollbars", url);
        assertThat(png).exists();
        assertThat(Files.size(png)).as("screenshot %s", png).isGreaterThan(5_000);
    }

    /** One form of the rendered DOM: its attributes and its named controls (name → value, in order). */
    record Form(String action, String method, String enctype, Map<String, String> fields, List<String> controls) {
        String body() {
            StringBuilder b = new StringBuilder();
            fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return b.toString();
        }
    }

    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<(input|textarea)\\b([^>]*)>|<select\\b([^>]*)>(.*?)</select>",
            Pattern.DOTALL);
    private static final Pattern OPTION = Pattern.compile("<option\\b([^>]*)>");
    private static final Pattern ATTR = Pattern.compile("([a-zA-Z][\\w-]*)(?:=\"([^\"]*)\")?");

    private static Map<String, String> attributes(String tagBody) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTR.matcher(tagBody);
        while (m.find()) {
            out.put(m.group(1).toLowerCase(), m.group(2) == null ? "" : m.group(2).replace("&amp;", "&")
                    .replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">"));
        }
        return out;
    }

    /** The forms of a DOM by id; a form's fields are its named, enabled inputs as a browser would send them. */
    private static Map<String, Form> forms(String dom) {
        Map<String, Form> out = new LinkedHashMap<>();
        Matcher f = FORM.matcher(dom);
        while (f.find()) {
            Map<String, String> a = attributes(f.group(1));
            Map<String, String> fields = new LinkedHashMap<>();
            List<String> controls = new ArrayList<>();
            Matcher i = INPUT.matcher(f.group(2));
            while (i.find()) {
                if (i.group(3) != null) {
                    // a select sends its selected option, else its first
                    Map<String, String> sa = attributes(i.group(3));
                    controls.add("select:" + sa.getOrDefault("name", ""));
                    String value = null;
                    Matcher o = OPTION.matcher(i.group(4));
                    while (o.find()) {
                        Map<String, String> oa = attributes(o.group(1));
                        if (value == null || oa.containsKey("selected")) {
                            value = oa.getOrDefault("value", "");
                        }
                    }
                    fields.put(sa.get("name"), value == null ? "" : value);
                    continue;
                }
                Map<String, String> ia = attributes(i.group(2));
                String type = ia.getOrDefault("type", "text");
                controls.add(i.group(1) + ":" + type + ":" + ia.getOrDefault("name", ""));
                if (ia.containsKey("name") && !type.equals("submit") && !type.equals("checkbox")) {
                    fields.put(ia.get("name"), ia.getOrDefault("value", ""));
                } else if (type.equals("checkbox")) {
                    fields.put(ia.get("name"), ia.getOrDefault("value", "on")); // as if ticked
                }
            }
            out.put(a.getOrDefault("id", "form" + out.size()), new Form(a.getOrDefault("action", ""),
                    a.getOrDefault("method", "get"), a.get("enctype"), fields, controls));
        }
        return out;
    }

    /**
     * What the browser would send for {@code form} after the user typed {@code typed} (name, value pairs) into it:
     * a field of the form gets the value typed, another name is added (as the page's script adds the lines of the
     * parameter box).
     */
    private static Reply submit(Form form, String pageUrl, String... typed) throws Exception {
        assertThat(form.method()).isEqualToIgnoringCase("post");
        Map<String, String> fields = new LinkedHashMap<>(form.fields());
        for (int i = 0; i < typed.length; i += 2) {
            fields.put(typed[i], typed[i + 1]);
        }
        String body = new Form(form.action(), form.method(), form.enctype(), fields, form.controls()).body();
        URI target = URI.create(pageUrl).resolve(form.action());
        return s.send(HttpRequest.newBuilder(target).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String createOpenJob(String... pairs) throws Exception {
        Reply r = s.post("/open", null, pairs);
        assertThat(r.status()).as(r.text()).isEqualTo(303);
        String loc = r.header("Location");
        return loc.substring(loc.lastIndexOf('/') + 1);
    }

    @Test
    void item18_chromiumRendersTheJobListAndItsCreateFormWorks() throws Exception {
        String pending = createOpenJob("RUNID", "first-job", "QUERY", "select 1");
        String aborted = createOpenJob("RUNID", "second-job");
        assertThat(s.post("/open/" + aborted + "/phase", null, "PHASE", "ABORT").status()).isEqualTo(303);
        String listUrl = s.base + "/open";

        String dom = dumpDom(listUrl);
        assertThat(dom).contains("UWS job list")
                .contains(">" + pending + "</a>").contains(">" + aborted + "</a>")
                .contains("href=\"" + listUrl + "/" + pending + "\"")
                .contains("PENDING").contains("ABORTED").contains("first-job").contains("second-job")
                // rendered on the server: no client-side XSLT, so no deprecation banner
                .doesNotContain("XSLT").doesNotContain("xml-stylesheet");
        screenshot(listUrl, "joblist.png");

        Form create = forms(dom).get("create");
        assertThat(create).as("create form in %s", dom).isNotNull();
        assertThat(URI.create(listUrl).resolve(create.action()).toString()).isEqualTo(listUrl);
        assertThat(create.controls()).contains("textarea:text:", "input:text:RUNID", "input:checkbox:PHASE",
                "input:submit:");
        assertThat(create.fields()).containsKeys("RUNID", "PHASE");
        Reply created = submit(create, listUrl, "RUNID", "from-the-form", "QUERY", "select 2");
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        TestServer.Xml job = s.get(created.header("Location"), null).xml();
        assertThat(job.s("/uws:job/uws:runId")).isEqualTo("from-the-form");
        assertThat(job.s("/uws:job/uws:phase")).isEqualTo("QUEUED"); // PHASE=RUN was ticked
        assertThat(job.s("//uws:parameter[@id='QUERY']")).isEqualTo("select 2");
    }

    @Test
    void item18_chromiumRendersAJobPageAndItsButtonsWork() throws Exception {
        String id = createOpenJob("RUNID", "buttons", "QUERY", "select 3");
        String jobUrl = s.base + "/open/" + id;

        String dom = dumpDom(jobUrl);
        assertThat(dom).contains("UWS job " + id).contains("PENDING").contains("buttons").contains("select 3")
                .doesNotContain("XSLT");
        screenshot(jobUrl, "job.png");
        Map<String, Form> forms = forms(dom);
        assertThat(forms).containsKeys("run", "abort", "delete");
        assertThat(forms.get("run").controls()).contains("input:submit:");
        assertThat(dom).contains("value=\"RUN\"").contains("value=\"ABORT\"").contains("value=\"DELETE\"");

        Reply run = submit(forms.get("run"), jobUrl);
        assertThat(run.status()).isEqualTo(303);
        assertThat(run.header("Location")).isEqualTo(jobUrl);
        assertThat(s.get(jobUrl + "/phase", null).text()).isEqualTo("QUEUED");
        assertThat(dumpDom(jobUrl)).contains("QUEUED");

        assertThat(submit(forms.get("abort"), jobUrl).status()).isEqualTo(303);
        assertThat(s.get(jobUrl + "/phase", null).text()).isEqualTo("ABORTED");

        Reply delete = submit(forms.get("delete"), jobUrl);
        assertThat(delete.status()).isEqualTo(303);
        assertThat(delete.header("Location")).isEqualTo(s.base + "/open");
        assertThat(s.get(jobUrl, null).status()).isEqualTo(404);
    }

    @Test
    void item18_chromiumRendersOneFieldPerDeclaredParameterAndTheFormWorksWithoutJavaScript() throws Exception {
        String listUrl = s.base + "/forms";
        String dom = dumpDom(listUrl);
        screenshot(listUrl, "createform.png");
        Form create = forms(dom).get("create");
        assertThat(create).as("create form in %s", dom).isNotNull();
        assertThat(create.enctype()).isEqualTo("multipart/form-data");
        assertThat(create.controls()).containsExactly("input:number:SECONDS", "select:FAIL", "input:text:MESSAGE",
                "select:MODE", "input:file:DATA", "textarea:text:", "input:text:RUNID", "input:checkbox:PHASE",
                "input:submit:");
        assertThat(create.fields()).containsEntry("SECONDS", "1").containsEntry("FAIL", "false")
                .containsEntry("MESSAGE", "hello").containsEntry("MODE", "").containsEntry("DATA", "");

        // what the browser posts for the form as rendered (PHASE=RUN ticked, no file chosen, MODE "(none)")
        TestServer.Multipart m = new TestServer.Multipart();
        for (Map.Entry<String, String> e : create.fields().entrySet()) {
            m = e.getKey().equals("DATA") ? m.part("DATA", "", "application/octet-stream", new byte[0])
                    : m.field(e.getKey(), e.getValue());
        }
        Reply created = s.send(HttpRequest.newBuilder(URI.create(listUrl).resolve(create.action()))
                .header("Content-Type", m.contentType()).POST(m.publisher()).build());
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        TestServer.Xml job = s.get(created.header("Location"), null).xml();
        assertThat(job.all("//uws:parameter/@id")).containsExactlyInAnyOrder("SECONDS", "FAIL", "MESSAGE");
        assertThat(job.s("//uws:parameter[@id='SECONDS']")).isEqualTo("1");
        assertThat(job.s("//uws:parameter[@id='FAIL']")).isEqualTo("false");
        assertThat(job.s("//uws:parameter[@id='MESSAGE']")).isEqualTo("hello");
    }
}
