package io.chatmsg.admin;

import java.time.Duration;

import io.chatmsg.support.Browser;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.GatewayIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard in a real browser against the real gateway, with raw socket clients. */
class DashboardBrowserTests extends GatewayIntegrationTest {

    @LocalServerPort
    int httpPort;

    private ChromeDriver browser;
    private String testName;

    @BeforeEach
    void openBrowser(TestInfo info) throws Exception {
        testName = info.getTestMethod().orElseThrow().getName();
        browser = Browser.shared();
        Browser.reset(browser);
    }

    @AfterEach
    void screenshot() throws Exception {
        if (browser != null) {
            Browser.screenshot(browser, getClass().getSimpleName() + "-" + testName);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    private WebDriverWait waitUpTo(long seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void logIn() {
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys(ADMIN);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitUpTo(10).until(ExpectedConditions.urlToBe(url("/")));
    }

    @Test
    void wrongPasswordIsRefused() {
        browser.get(url("/clients"));
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        browser.findElement(By.id("username")).sendKeys(ADMIN);
        browser.findElement(By.id("password")).sendKeys("not-the-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitUpTo(10)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector(".alert-danger"), "Wrong user name or password"));
    }

    @Test
    void rawSocketClientAppearsLiveAndItsPageShowsItsLines() throws Exception {
        logIn();
        browser.get(url("/clients"));
        String id = uniqueId("browser");
        ChatTestClient c = login(id);
        c.send("PING visible-in-capture");
        assertThat(c.reply()).isEqualTo("200 PONG visible-in-capture");
        // The table refreshes itself every two seconds: the client shows up within three.
        waitUpTo(3).until(ExpectedConditions.textToBePresentInElementLocated(By.id("clients"), id));

        WebElement row = browser.findElement(By.xpath("//table[@id='clients']//tr[td[text()='" + id + "']]"));
        row.findElement(By.cssSelector("td a")).click();
        waitUpTo(5)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.id("protocol-lines"), "PING visible-in-capture"));
        assertThat(browser.findElement(By.id("protocol-lines")).getText())
                .contains("LOGIN " + id)
                .contains("200 PONG visible-in-capture");
    }

    @Test
    void kickAsksForAReasonAndTheSocketGetsKicked() throws Exception {
        logIn();
        String id = uniqueId("kickme");
        ChatTestClient c = login(id);
        browser.get(url("/clients?filter=" + id));
        WebElement row = waitUpTo(5)
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.xpath("//table[@id='clients']//tr[td[text()='" + id + "']]")));
        row.findElement(By.name("reason")).sendKeys("spamming the lobby");
        row.findElement(By.cssSelector("button[type=submit]")).click();
        waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();

        assertThat(c.event()).isEqualTo("KICKED spamming the lobby");
        assertThat(c.awaitClosed()).isTrue();
        waitUpTo(5)
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector(".alert-success"), "spamming the lobby"));
    }

    @Test
    void broadcastReachesEverySocketAndShowsHowMany() throws Exception {
        logIn();
        ChatTestClient a = login(uniqueId("bcA"));
        ChatTestClient b = login(uniqueId("bcB"));
        browser.get(url("/broadcast"));
        String text = "maintenance at 22:00 " + uniqueId("n");
        browser.findElement(By.id("text")).sendKeys(text);
        browser.findElement(By.cssSelector("form button[type=submit]:not(.btn-outline-light)"))
                .click();
        waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();

        assertThat(a.eventMatching(e -> e.startsWith("MSG SERVER"))).isEqualTo("MSG SERVER ALL " + text);
        assertThat(b.eventMatching(e -> e.startsWith("MSG SERVER"))).isEqualTo("MSG SERVER ALL " + text);
        String result = waitUpTo(10)
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("broadcast-result")))
                .getText();
        assertThat(result).containsPattern("delivered to \\d+ client");
    }

    @Test
    void maintenanceNoticeIsScheduledInLocalTimeAndListed() throws Exception {
        logIn();
        browser.get(url("/broadcast"));
        String text = "scheduled notice " + uniqueId("s");
        browser.findElement(By.id("text")).sendKeys(text);
        // An hour from now, as the operator's browser would show it (datetime-local has no zone).
        browser.executeScript("const d = new Date(Date.now() + 3600e3);"
                + "d.setMinutes(d.getMinutes() - d.getTimezoneOffset());"
                + "document.getElementById('at-local').value = d.toISOString().slice(0, 16);");
        browser.findElement(By.cssSelector("form button[type=submit]:not(.btn-outline-light)"))
                .click();
        waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("scheduled-result")));
        assertThat(browser.findElement(By.id("scheduled")).getText())
                .contains(text)
                .contains("pending");
    }

    @Test
    void messageCanBeFoundInTheLog() throws Exception {
        logIn();
        String a = uniqueId("logA");
        String b = uniqueId("logB");
        ChatTestClient ca = login(a);
        login(b);
        String needle = "needle-" + uniqueId("x");
        ca.send("MSG " + b + " find the " + needle + " here");
        assertThat(ca.reply()).startsWith("200 MSG");

        browser.get(url("/messages"));
        browser.findElement(By.name("q")).sendKeys(needle);
        browser.findElement(By.cssSelector("#message-search button")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("q=" + needle));
        waitUpTo(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), needle));
        assertThat(browser.findElement(By.id("messages")).getText())
                .contains("find the " + needle + " here")
                .contains(a)
                .contains(b);
    }

    @Test
    void unknownPageShowsAFriendlyError() {
        logIn();
        browser.get(url("/no/such/page"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Page not found");
        assertThat(browser.getPageSource()).doesNotContain("Whitelabel").doesNotContain("Exception");
    }

    @Test
    void overviewDrawsItsChartsOnAPhoneSizedScreen() throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        logIn();
        waitUpTo(10).until(d -> (Boolean) ((ChromeDriver) d)
                .executeScript(
                        "return typeof Chart !== 'undefined' && Chart.getChart('chart-messages') !== undefined"));
        assertThat(browser.findElement(By.id("stat-connections")).getText()).matches("\\d+");
    }

    @Test
    void aFileSentOverTheSocketIsListedAndDownloadsIntact() throws Exception {
        String alice = uniqueId("fileA");
        String bob = uniqueId("fileB");
        String id;
        try (io.chatmsg.support.FileClient b = io.chatmsg.support.FileClient.login(gateway.port(), bob);
                io.chatmsg.support.FileClient a = io.chatmsg.support.FileClient.login(gateway.port(), alice)) {
            id = io.chatmsg.support.FileClient.fileId(
                    a.put(bob, "minutes.txt", "the minutes".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        logIn();
        browser.get(url("/files?clientId=" + alice));
        WebElement row = browser.findElement(By.cssSelector("tr[data-file-id='" + id + "']"));
        assertThat(row.getText())
                .contains(alice)
                .contains(bob)
                .contains("minutes.txt")
                .contains("11 B");
        String href = row.findElement(By.linkText("Download")).getAttribute("href");
        Object body = browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));",
                href);
        assertThat(body).isEqualTo("the minutes");
    }

    @Test
    void clientPageDrawsTheRoundTripChartAndAlertsPageOpens() throws Exception {
        String id = uniqueId("rtt");
        ChatTestClient c = login(id);
        logIn();
        browser.get(url("/clients?filter=" + id));
        browser.findElement(By.xpath("//table[@id='clients']//tr[td[text()='" + id + "']]//a"))
                .click();
        waitUpTo(10).until(d -> (Boolean) ((ChromeDriver) d)
                .executeScript("return typeof Chart !== 'undefined' && Chart.getChart('chart-rtt') !== undefined"));
        browser.get(url("/alerts"));
        assertThat(browser.findElement(By.tagName("main")).getText()).containsAnyOf("No alerts yet.", "gateway");
        c.send("QUIT");
    }
}
