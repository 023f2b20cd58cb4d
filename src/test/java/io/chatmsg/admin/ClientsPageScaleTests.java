package io.chatmsg.admin;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.chatmsg.session.SessionRecorder;
import io.chatmsg.support.Browser;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.HoldConnections;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients page with ten thousand connections, in a real browser. Reports
 * the times in the test log; asserts only what must hold (the page works,
 * shows one page of rows and the right total), never a time.
 */
class ClientsPageScaleTests extends GatewayIntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(ClientsPageScaleTests.class);
    private static final int CONNECTIONS = 10_000;

    @LocalServerPort
    int httpPort;

    @Autowired
    SessionRecorder sessions;

    @Test
    void clientsPageWithTenThousandConnections() throws Exception {
        int before = sessions.live().size();
        Process holder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldConnections.class.getName(),
                        String.valueOf(gateway.port()),
                        String.valueOf(CONNECTIONS)))
                .redirectErrorStream(true)
                .start();
        ChromeDriver browser = null;
        try {
            long t0 = System.nanoTime();
            String report = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(report).startsWith("connected ");
            int opened = Integer.parseInt(report.split(" ")[1]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sessions.live().size() < before + opened && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            int live = sessions.live().size();
            log.info(
                    "scale: {} connections open and registered in {} ms ({})",
                    live,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                    report);
            assertThat(live).isGreaterThanOrEqualTo(before + opened);

            browser = Browser.start(1280, 900);
            browser.get("http://127.0.0.1:" + httpPort + "/login");
            browser.findElement(By.id("username")).sendKeys(ADMIN);
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(ExpectedConditions.urlToBe("http://127.0.0.1:" + httpPort + "/"));

            long p0 = System.nanoTime();
            browser.get("http://127.0.0.1:" + httpPort + "/clients?sort=bytesIn&descending=true");
            long pageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - p0);
            Object navigation = browser.executeScript("const n = performance.getEntriesByType('navigation')[0];"
                    + "return Math.round(n.responseEnd - n.requestStart) + ' ms server+transfer, '"
                    + " + Math.round(n.domContentLoadedEventEnd - n.startTime) + ' ms to DOMContentLoaded, '"
                    + " + n.transferSize + ' bytes';");
            int rows = browser.findElements(By.cssSelector("#clients tbody tr")).size();
            String count = browser.findElement(By.id("clients-count")).getText();
            log.info(
                    "scale: clients page with {} connections: {} ms to load in Chromium ({}); {} rows shown; '{}'",
                    live,
                    pageMillis,
                    navigation,
                    rows,
                    count);
            assertThat(rows).isEqualTo(ClientTable.PAGE_SIZE);
            assertThat(count).contains(String.valueOf(live));

            // The live refresh fetches only the visible page: time a few of them.
            long r0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                browser.executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "fetch('/clients/table?sort=bytesIn&descending=true').then(r => r.text()).then(() => done());");
            }
            log.info(
                    "scale: live table refresh with {} connections: {} ms each on average",
                    live,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r0) / 5);
            Browser.screenshot(browser, "ClientsPageScaleTests-tenThousand");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            holder.getOutputStream().close();
            holder.waitFor(30, TimeUnit.SECONDS);
            holder.destroyForcibly();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sessions.live().size() > before && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
    }
}
