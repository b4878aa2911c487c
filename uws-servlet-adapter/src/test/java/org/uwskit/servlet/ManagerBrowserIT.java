package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The browser job manager ({@code {mount}/_manager/}) driven as a user drives it, in Debian's Chromium through its
 * chromedriver (Selenium WebDriver): clicks, typing, a file chosen for upload, and explicit waits for what appears.
 * The Jetty {@link TestServer} runs a manual engine, so the test moves jobs (dispatch, progress, results, completion)
 * and watches the open page follow through the job list's event stream, without a reload. Users are told apart by the
 * {@code X-User} header, which the browser adds to every request (DevTools {@code Network.setExtraHTTPHeaders}).
 * Screenshots of each step go to {@code target/manager-screenshots/}. Without Chromium or chromedriver the test fails
 * when {@code CI=true} and is skipped otherwise.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagerBrowserIT extends ManagerBrowserBase {
    @Test
    @Order(1)
    void createFromTheFormWithAnUploadAndWatchItRunWithoutReloading() throws Exception {
        open("list/jobs");
        visible("#new-job").click();
        WebElement count = visible("input[name=COUNT]");
        assertThat(count.getAttribute("value")).isEqualTo("3");
        assertThat(driver.findElement(By.cssSelector(".create")).getText()).contains("items").contains("how many times");
        visible("#runid").sendKeys("first run");
        count.clear();
        count.sendKeys("99");
        Path upload = Files.createTempFile("manager-upload-", ".txt");
        Files.writeString(upload, "alpha\nbeta\ngamma\n");
        driver.findElement(By.cssSelector("input[type=file][name=DATA]")).sendKeys(upload.toAbsolutePath().toString());
        driver.findElement(By.cssSelector(".create button[type=submit]")).click();
        // checked in the page, in the server's words
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".create"),
                "COUNT: 99 is above the maximum 10"));
        screenshot("form-validation");
        count.clear();
        count.sendKeys("5");
        driver.findElement(By.cssSelector(".create button[type=submit]")).click();
        textIs("#job-phase", "QUEUED");
        String id = jobIdShown();
        screenshot("queued");
        s.engine.dispatch();
        textIs("#job-phase", "EXECUTING");
        s.backend.events(id).progress(0.25, "a quarter");
        textIs("#job-progress .pct", "25%");
        screenshot("executing-25");
        s.backend.events(id).progress(0.75, "three quarters");
        textIs("#job-progress .pct", "75%");
        assertThat(driver.findElement(By.cssSelector("#job-progress .msg")).getText()).isEqualTo("three quarters");
        assertThat(driver.findElement(By.cssSelector("#job-progress progress")).getAttribute("value")).startsWith("0.75");
        screenshot("executing-75");
        // the upload arrived whole
        assertThat(s.get("/jobs/" + id + "/parameters/DATA", "alice").text()).isEqualTo("alpha\nbeta\ngamma\n");
        result(id, "echo", "text/plain", "alpha\nbeta\ngamma\n".getBytes(StandardCharsets.UTF_8));
        result(id, "picture", "image/png", png());
        result(id, "table", "text/csv", "name,count\n\"a, b\",1\nc,2\n".getBytes(StandardCharsets.UTF_8));
        result(id, "stdout", "text/plain", "the job said hello".getBytes(StandardCharsets.UTF_8));
        result(id, "numbers", "application/json", "{\"a\":[1,2],\"b\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        result(id, "catalog", "application/x-votable+xml", ("<?xml version=\"1.0\"?><VOTABLE version=\"1.4\" "
                + "xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\"><RESOURCE><TABLE name=\"stars\">"
                + "<FIELD name=\"ra\" datatype=\"double\" unit=\"deg\"/><FIELD name=\"name\" datatype=\"char\" "
                + "arraysize=\"*\"/><DATA><TABLEDATA><TR><TD>10.5</TD><TD>&lt;b&gt;Vega</TD></TR></TABLEDATA></DATA>"
                + "</TABLE></RESOURCE></VOTABLE>").getBytes(StandardCharsets.UTF_8));
        result(id, "drawing", "image/svg+xml", ("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"80\" height=\"40\">"
                + "<script>window.__svg = 1;</script><rect width=\"80\" height=\"40\" fill=\"green\" "
                + "onload=\"window.__svg = 2\"/></svg>").getBytes(StandardCharsets.UTF_8));
        s.backend.events(id).completed();
        textIs("#job-phase", "COMPLETED");
        assertThat(sameDocument()).as("the page was not reloaded").isTrue();
        // stdout is shown at once
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-stdout"), "the job said hello"));
        screenshot("completed");

        // previews: text, image, CSV as a table
        driver.findElement(By.cssSelector("li[data-result=echo] button")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-echo"), "beta"));
        driver.findElement(By.cssSelector("li[data-result=picture] button")).click();
        WebElement img = visible("#preview-picture img");
        waiting().until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth;", img))
                .intValue() == 120);
        driver.findElement(By.cssSelector("li[data-result=table] button")).click();
        textIs("#preview-table tbody tr:first-child td:first-child", "a, b");
        assertThat(driver.findElement(By.cssSelector("li[data-result=picture]")).getText()).contains("image/png");
        driver.findElement(By.cssSelector("li[data-result=numbers] button")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview-numbers"), "\"b\": \"x\""));
        driver.findElement(By.cssSelector("li[data-result=catalog] button")).click();
        textIs("#preview-catalog thead th:first-child", "ra [deg]");
        textIs("#preview-catalog tbody td:nth-child(2)", "<b>Vega");
        driver.findElement(By.cssSelector("li[data-result=drawing] button")).click();
        WebElement svg = visible("#preview-drawing img");
        waiting().until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth;", svg))
                .intValue() == 80);
        assertThat(((JavascriptExecutor) driver).executeScript("return window.__svg === undefined;"))
                .as("the SVG result's script did not run in the page").isEqualTo(true);
        scrollTo("li[data-result=picture]");
        screenshot("previews");

        // the provenance graph, drawn in the page from the service's SVG
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#provenance svg g")));
        scrollTo("#provenance");
        screenshot("provenance");

        // a job that used this one's result links back to it
        String second = create("alice", "INPUT", s.base + "/jobs/" + id + "/results/echo", "RUNID", "second",
                "PHASE", "RUN");
        s.engine.dispatch();
        s.backend.events(second).completed();
        open("job/jobs/" + second);
        WebElement back = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#provenance ul.related a")));
        assertThat(back.getText()).contains(id);
        scrollTo("#provenance");
        screenshot("provenance-related");
        back.click();
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("h2 code.jobid"), id));
        screenshot("followed-provenance-link");
    }

    @Test
    @Order(2)
    void abortARunningJob() throws Exception {
        String id = create("alice", "RUNID", "to abort", "PHASE", "RUN");
        s.engine.dispatch();
        open("job/jobs/" + id);
        textIs("#job-phase", "EXECUTING");
        click(".actions button", "Abort");
        textIs("#job-phase", "ABORTED");
        screenshot("aborted");
        assertThat(s.get("/jobs/" + id + "/phase", "alice").text()).isEqualTo("ABORTED");
    }

    @Test
    @Order(3)
    void deleteSeveralJobsFromTheList() throws Exception {
        List<String> ids = List.of(create("alice", "RUNID", "del-1"), create("alice", "RUNID", "del-2"),
                create("alice", "RUNID", "del-3"));
        String kept = create("alice", "RUNID", "keep-me");
        open("list/jobs");
        for (String id : ids) {
            visible("tr[data-job='" + id + "'] input[type=checkbox]").click();
        }
        screenshot("selected-for-delete");
        click("fieldset.bulk button", "Delete");
        for (String id : ids) {
            waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-job='" + id + "']"), 0));
            assertThat(s.get("/jobs/" + id, "alice").status()).isEqualTo(404);
        }
        visible("tr[data-job='" + kept + "']");
        screenshot("deleted");
    }

    @Test
    @Order(4)
    void aFailedJobShowsItsError() throws Exception {
        String id = create("alice", "RUNID", "will fail", "outcome", "fail", "PHASE", "RUN");
        s.engine.dispatch();
        open("job/jobs/" + id);
        textIs("#job-phase", "ERROR");
        textIs("#error-message", "it broke");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("error-detail"), "stack line 2"));
        screenshot("error");
    }

    @Test
    @Order(5)
    void anotherOwnersJobsAreNeverShown() throws Exception {
        String bobs = create("bob", "RUNID", "bob-secret", "PHASE", "RUN");
        String alices = create("alice", "RUNID", "alice-visible", "PHASE", "RUN");
        open("list/jobs");
        visible("tr[data-job='" + alices + "']");
        s.engine.dispatch(); // both start: the event stream must carry alice's change only
        s.backend.events(bobs).progress(0.5, "bob's progress");
        s.backend.events(alices).progress(0.5, "alice's progress");
        textIs("tr[data-job='" + alices + "'] .msg", "alice's progress");
        assertThat(driver.getPageSource()).doesNotContain("bob-secret").doesNotContain(bobs)
                .doesNotContain("bob's progress");
        screenshot("owner-alice");
        as("bob");
        open("list/jobs");
        visible("tr[data-job='" + bobs + "']");
        assertThat(driver.getPageSource()).doesNotContain("alice-visible").doesNotContain(alices);
        screenshot("owner-bob");
        as("alice");
    }

    @Test
    @Order(6)
    void aScriptRunIdIsShownAsText() throws Exception {
        String evil = "<script>window.__xss=1;alert(1)</script><img src=x onerror=\"window.__xss=2\">";
        open("list/jobs");
        visible("#new-job").click();
        visible("input[name=COUNT]");
        visible("#runid").sendKeys(evil);
        driver.findElement(By.id("run-now")).click(); // stays PENDING
        driver.findElement(By.cssSelector(".create button[type=submit]")).click();
        textIs("#job-phase", "PENDING");
        textIs("h2 .runid", evil);
        driver.findElement(By.linkText("← jobs")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table.jobs"), evil));
        screenshot("script-runid");
        assertThat(((JavascriptExecutor) driver).executeScript("return window.__xss === undefined;")).isEqualTo(true);
        try {
            driver.switchTo().alert();
            fail("an alert was opened");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }

    @Test
    @Order(7)
    void severalJobsAtOnceAndTheServersOwnWords() throws Exception {
        String a = create("alice", "RUNID", "batch-a");
        String b = create("alice", "RUNID", "batch-b");
        open("list/jobs");
        visible("tr[data-job='" + a + "'] input[type=checkbox]").click();
        visible("tr[data-job='" + b + "'] input[type=checkbox]").click();
        visible("#bulk-duration").sendKeys("120");
        click("fieldset.bulk button", "Set duration");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"),
                "Set duration: done for 2 job(s)"));
        assertThat(s.get("/jobs/" + a + "/executionduration", "alice").text()).isEqualTo("120");
        assertThat(s.get("/jobs/" + b + "/executionduration", "alice").text()).isEqualTo("120");
        click("fieldset.bulk button", "Run");
        textIs("tr[data-job='" + a + "'] .phase", "QUEUED");
        textIs("tr[data-job='" + b + "'] .phase", "QUEUED");
        // what the page does not check itself, the server does: its 400 is shown as it is
        visible("#new-job").click();
        visible("input[name=INPUT]").sendKeys("relative/path");
        driver.findElement(By.cssSelector(".create button[type=submit]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".create .answer"),
                "INPUT: 'relative/path' is not an absolute URI"));
        screenshot("server-message");
        s.engine.dispatch();
    }

    /** Not a test of behaviour: the screenshot the README shows (a running job's progress in the list). */
    @Test
    @Order(8)
    void readmeScreenshot() throws Exception {
        String a = create("alice", "RUNID", "calibrate night 2026-11-30", "PHASE", "RUN");
        String b = create("alice", "RUNID", "stack 48 exposures", "PHASE", "RUN");
        create("alice", "RUNID", "reduce field 17");
        s.engine.dispatch();
        s.backend.events(a).progress(0.62, "frame 31 of 50");
        s.backend.events(b).progress(0.18, "aligning");
        open("list/jobs");
        textIs("tr[data-job='" + a + "'] .pct", "62%");
        textIs("tr[data-job='" + b + "'] .pct", "18%");
        File out = SHOTS.resolve("job-manager.png").toFile();
        Files.write(out.toPath(), driver.getScreenshotAs(OutputType.BYTES));
        assertThat(out.length()).isGreaterThan(10_000);
    }

    @Test
    @Order(10)
    void usableWithTheKeyboardAlone() throws Exception {
        open("list/jobs");
        visible("table.jobs tbody tr[data-job]");
        String focused = "";
        for (int i = 0; i < 12 && !focused.equals("new-job"); i++) {
            driver.switchTo().activeElement().sendKeys(Keys.TAB);
            focused = driver.switchTo().activeElement().getAttribute("id");
        }
        assertThat(focused).as("the New job button is reached with Tab").isEqualTo("new-job");
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        visible("input[name=COUNT]");
        assertThat(driver.findElement(By.id("new-job")).getAttribute("aria-expanded")).isEqualTo("true");
        // every form control has a label
        Object unlabelled = ((JavascriptExecutor) driver).executeScript(
                "return Array.from(document.querySelectorAll('input, select')).filter(e => !(e.labels && e.labels.length)"
                        + " && !e.getAttribute('aria-label')).map(e => e.outerHTML);");
        assertThat((List<?>) unlabelled).isEmpty();
    }

    @Test
    @Order(9)
    void usableOnAPhoneSizedScreen() throws Exception {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            open("list/jobs");
            visible("table.jobs tbody tr[data-job]");
            Object overflow = ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(((Number) overflow).intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
            visible("#new-job").click();
            visible("input[name=COUNT]");
            screenshot("phone");
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 800));
        }
    }
}
