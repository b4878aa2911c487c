package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.prov.ProvenanceBuilder;
import org.uwskit.prov.ProvenanceDocuments;

/**
 * What {@link ManagerBrowserIT} needs around its tests: the Jetty {@link TestServer} with a job list for the manager
 * (change feed, provenance documents), headless Chromium driven through Debian's chromedriver, the browser's user
 * ({@code X-User} on every request), explicit waits, screenshots and job helpers. Without Chromium or chromedriver
 * it fails when {@code CI=true} and skips otherwise.
 */
abstract class ManagerBrowserBase {
    static final Path SHOTS = Path.of("target", "manager-screenshots");
    static final Duration WAIT = Duration.ofSeconds(15);
    static TestServer s;
    static ChromeDriver driver;
    static int shot;

    @BeforeAll
    static void start() throws Exception {
        Path chromium = Path.of(env("UWSKIT_CHROMIUM", "/usr/bin/chromium"));
        Path chromedriver = Path.of(env("UWSKIT_CHROMEDRIVER", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            String why = "the job manager browser tests need " + chromium + " and " + chromedriver
                    + " (scripts/install-test-deps.sh: apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        Files.createDirectories(SHOTS);
        try (var old = Files.list(SHOTS)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        JobList jobs = JobList.builder("jobs").description("Jobs for the manager test")
                .definition(JobDefinition.builder("echo").description("Echoes a file, slowly")
                        .parameter(ParameterDefinition.builder("DATA", ParameterType.FILE).description("a file to echo"))
                        .parameter(ParameterDefinition.builder("COUNT", ParameterType.INTEGER).defaultValue("3")
                                .min(1).max(10).unit("items").description("how many times"))
                        .parameter(ParameterDefinition.builder("INPUT", ParameterType.URI).description("an input URL"))
                        .parameter(ParameterDefinition.builder("outcome", ParameterType.ENUMERATED)
                                .options("hold", "fail").defaultValue("hold").description("how the test backend ends"))
                        .build())
                .policy(JobListPolicy.builder().maxUploadSize(1 << 20).maxExecutingJobs(100).build()).build();
        InMemoryJobStore store = new InMemoryJobStore();
        ProvenanceDocuments prov = ProvenanceDocuments.builder(ProvenanceBuilder.builder().build()).build();
        s = new TestServer(p -> { }, b -> b.changeFeed(store).documentProvider(prov),
                j -> j.store(store).jobList(jobs));
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        as("alice");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (s != null) {
                s.close();
            }
        }
    }

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    /** Every later request of the browser carries {@code X-User: user} (the test server's authentication). */
    static boolean networkEnabled;

    static void as(String user) {
        if (!networkEnabled) {
            driver.executeCdpCommand("Network.enable", Map.of());
            networkEnabled = true;
        }
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("X-User", user)));
    }

    static final long T0 = System.nanoTime();

    static void mark(String what) {
        System.out.printf("MARK %6d ms %s%n", (System.nanoTime() - T0) / 1_000_000, what);
    }

    static void screenshot(String name) throws IOException {
        mark(name);
        Path png = SHOTS.resolve(String.format("%02d-%s.png", ++shot, name));
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    }

    static void scrollTo(String css) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'start'});",
                driver.findElement(By.cssSelector(css)));
    }

    static WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(driver, WAIT);
        w.ignoring(StaleElementReferenceException.class); // a live page may redraw between finding and using
        return w;
    }

    /** Clicks the button of {@code css} labelled {@code label}, once it is there. */
    static void click(String css, String label) {
        waiting().until(d -> {
            for (WebElement b : d.findElements(By.cssSelector(css))) {
                if (b.getText().equals(label)) {
                    b.click();
                    return true;
                }
            }
            return false;
        });
    }

    static WebElement visible(String css) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    static void textIs(String css, String text) {
        waiting().until(ExpectedConditions.textToBe(By.cssSelector(css), text));
    }

    static void open(String fragment) {
        mark("open " + fragment);
        driver.get("about:blank"); // a new document, not a change of fragment
        driver.get(s.base + "/_manager/#" + fragment);
        // a fresh page each time: the marker set here survives only while the page is not reloaded
        ((JavascriptExecutor) driver).executeScript("window.__page = 'same';");
    }

    static boolean sameDocument() {
        return "same".equals(((JavascriptExecutor) driver).executeScript("return window.__page;"));
    }

    static String jobIdShown() {
        return visible("h2 code.jobid").getText();
    }

    static String create(String user, String... pairs) throws Exception {
        TestServer.Reply r = s.post("/jobs", user, pairs);
        assertThat(r.status()).as(r.text()).isEqualTo(303);
        String loc = r.header("Location");
        return loc.substring(loc.lastIndexOf('/') + 1);
    }

    static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(120, 60, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 120, 60);
        g.setColor(Color.BLUE);
        g.fillOval(30, 10, 60, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static void result(String jobId, String id, String type, byte[] bytes) throws IOException {
        try (OutputStream out = s.backend.events(jobId).openResult(id, type)) {
            out.write(bytes);
        }
    }

}
