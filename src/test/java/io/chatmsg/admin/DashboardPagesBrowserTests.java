package io.chatmsg.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.chatmsg.protocol.ClientIds;
import io.chatmsg.session.LiveSession;
import io.chatmsg.session.SessionRecorder;
import io.chatmsg.session.TrafficMinuteRepository;
import io.chatmsg.support.Browser;
import io.chatmsg.support.ChatTestClient;
import io.chatmsg.support.FileClient;
import io.chatmsg.support.GatewayIntegrationTest;
import io.chatmsg.support.LogWatch;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every dashboard page as a person sees it, in one browser against one
 * gateway holding more than a page of sessions, messages, users and audit
 * entries: pages that render to the end, pagers that lead somewhere, labelled
 * columns, charts with height and data, nothing wider than a phone, and no
 * error in the server's log. Screenshots of each page (desktop and 390 px)
 * are left in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardPagesBrowserTests extends GatewayIntegrationTest {

    /** More rows than a page holds (50). */
    private static final int SEEDED = 60;

    private static final int PHONE = 390;

    /**
     * Pages whose tables fit a phone without sideways scrolling. The others (sessions,
     * messages, clients, files ...) have too many columns: their tables scroll sideways
     * inside their own box, the page itself never does.
     */
    private static final Set<String> FIT_A_PHONE = Set.of("users", "top");

    @LocalServerPort
    int httpPort;

    @Autowired
    AuditLog auditLog;

    @Autowired
    AdminQueries queries;

    @Autowired
    TrafficMinuteRepository trafficMinutes;

    @Autowired
    SessionRecorder sessions;

    @Autowired
    BroadcastScheduler scheduler;

    @Autowired
    OperatorActions actions;

    private ChromeDriver browser;
    private LogWatch log;
    private ChatTestClient talker;
    private ChatTestClient listener;
    private String talkerId;
    private String tag;
    private String fileSender;
    private long talkerSession;

    @BeforeAll
    void seed() throws Exception {
        log = LogWatch.attach();
        // Sessions and users: each login is a recorded session and a known id.
        String prefix = uniqueId("pg");
        for (int i = 0; i < SEEDED; i++) {
            ChatTestClient.login(gateway.port(), prefix + "u" + i).close();
        }
        // Messages and traffic: one client talks to another, both stay connected.
        talkerId = uniqueId("talker");
        String listenerId = uniqueId("listener");
        listener = ChatTestClient.login(gateway.port(), listenerId);
        talker = ChatTestClient.login(gateway.port(), talkerId);
        tag = "pagetest" + uniqueId("t");
        for (int i = 0; i < SEEDED; i++) {
            talker.send("MSG " + listenerId + " " + tag + " number " + i);
            assertThat(talker.reply()).startsWith("200 MSG");
        }
        // Audit entries, as operator actions leave them.
        for (int i = 0; i < SEEDED; i++) {
            auditLog.record(ADMIN, AuditLog.BROADCAST, "seeded entry " + i, "127.0.0.1");
        }
        // A scheduled broadcast and a ban, so that their tables show.
        scheduler.schedule(
                Instant.now().plusSeconds(3600),
                "seeded notice",
                new ClientSelector(null, null, null, null),
                false,
                ADMIN,
                "127.0.0.1");
        actions.banAddress("203.0.113.7", "seeded ban", null, ADMIN, "127.0.0.1");
        // A file of 150,000 bytes.
        fileSender = uniqueId("fileA");
        String fileRecipient = uniqueId("fileB");
        try (FileClient b = FileClient.login(gateway.port(), fileRecipient);
                FileClient a = FileClient.login(gateway.port(), fileSender)) {
            FileClient.fileId(a.put(fileRecipient, "big.bin", new byte[150_000]));
        }
        LiveSession live = sessions.live().stream()
                .filter(s -> talkerId.equals(s.clientId()))
                .findFirst()
                .orElseThrow();
        talkerSession = live.id();
        // Two answered probes, as the heartbeat records them (its first is a minute away; the
        // session is idle now, so this thread stands in for its event loop).
        long now = System.nanoTime();
        live.probeAnswered(now - 12_000_000, now);
        live.probeAnswered(now - 8_000_000, now);
        AdminQueries.MessageFilter tagged = new AdminQueries.MessageFilter(tag, null, null, null, null);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> queries.messages(tagged, 0, 50).totalElements() == SEEDED);
        browser = Browser.shared();
    }

    @AfterAll
    void stop() throws Exception {
        log.detach();
        talker.close();
        listener.close();
    }

    @BeforeEach
    void logIn() {
        Browser.reset(browser);
        browser.get(url("/login"));
        browser.findElement(By.id("username")).sendKeys(ADMIN);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitUpTo(10).until(ExpectedConditions.urlToBe(url("/")));
    }

    @AfterEach
    void screenshotAndReadTheLog(TestInfo info) throws Exception {
        Browser.screenshot(
                browser,
                getClass().getSimpleName() + "-"
                        + info.getTestMethod().orElseThrow().getName());
        assertThat(log.drain()).as("errors in the server log").isEmpty();
    }

    @Test
    @Order(1)
    void sessionsPagesForwardAndBack() {
        pagesForwardAndBack("/sessions", "#sessions");
    }

    @Test
    @Order(2)
    void messagesPagesForwardAndBack() {
        pagesForwardAndBack("/messages", "#messages");
    }

    @Test
    @Order(3)
    void aSearchOverTwoPagesHasItsNextLink() {
        browser.get(url("/messages?q=" + tag));
        assertThat(pagerText()).contains("page 1 of 2");
        assertThat(rows("#messages")).hasSize(50).allMatch(r -> r.contains(tag));
        nextLink().click();
        waitUpTo(10).until(d -> pagerText().contains("page 2 of 2"));
        assertThat(browser.getCurrentUrl()).contains("q=" + tag).contains("page=1");
        assertThat(rows("#messages")).hasSize(SEEDED - 50).allMatch(r -> r.contains(tag));
        assertThat(browser.findElements(By.xpath(link("Next")))).isEmpty();
    }

    @Test
    @Order(4)
    void usersPagesForwardAndBack() {
        pagesForwardAndBack("/users", "#users");
    }

    @Test
    @Order(5)
    void auditPagesForwardAndBack() {
        pagesForwardAndBack("/audit", "#audit");
    }

    @Test
    @Order(6)
    void clientsColumnsAreLabelledAndSortOnAClick() {
        browser.get(url("/clients"));
        assertThat(unlabelledHeaders()).isEmpty();
        browser.findElement(By.linkText("Bytes in")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("sort=bytesIn"));
        assertThat(browser.findElement(By.cssSelector("#clients th[aria-sort=ascending]"))
                        .getText())
                .contains("Bytes in")
                .contains("▲");
        browser.findElement(By.linkText("Bytes in")).click();
        waitUpTo(10).until(ExpectedConditions.urlContains("descending=true"));
        assertThat(browser.findElement(By.cssSelector("#clients th[aria-sort=descending]"))
                        .getText())
                .contains("▼");
    }

    @Test
    @Order(7)
    void aSingleNodeIsAClusterOfOneOnTheClusterPage() {
        browser.get(url("/cluster"));
        assertThat(browser.findElements(By.cssSelector("#nodes thead th")).stream()
                        .map(WebElement::getText)
                        .toList())
                .containsExactly("Node", "Address", "Started", "Last heartbeat", "Connections", "Logged in");
        List<WebElement> rows = browser.findElements(By.cssSelector("#nodes tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("this node").contains(":" + gateway.port());
        assertThat(browser.findElement(By.cssSelector("main")).getText()).contains("a cluster of one");
    }

    @Test
    @Order(7)
    void filesShowSizesWithUnits() {
        browser.get(url("/files?clientId=" + fileSender));
        String row = browser.findElement(By.cssSelector("#files tbody tr")).getText();
        assertThat(row).contains("146.5 KB").doesNotContain("150,000");
    }

    @Test
    @Order(8)
    void clientPageChartsHaveHeightAndDrawTheTraffic() {
        // The traffic reaches the database at the next flush (every 5 s).
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        trafficMinutes
                                .minutesOf(
                                        ClientIds.fold(talkerId), Instant.now().minusSeconds(3600))
                                .stream()
                                .anyMatch(m -> m.getMessagesIn() > 0));
        browser.get(url("/clients/" + talkerSession));
        for (String chart : List.of("chart-client", "chart-rtt")) {
            waitUpTo(15).until(d -> chartHasANonZeroPoint(chart));
            assertThat(canvasHeight(chart)).as(chart + " height").isGreaterThanOrEqualTo(100);
        }
        toPhone();
        for (String chart : List.of("chart-client", "chart-rtt")) {
            waitUpTo(5).until(d -> canvasHeight(chart) >= 100);
            assertThat(canvasWidth(chart)).as(chart + " width on a phone").isLessThanOrEqualTo(PHONE);
        }
        Browser.reset(browser);
    }

    @Test
    @Order(9)
    void overviewChartsHaveHeightAndDrawTheTraffic() {
        browser.get(url("/"));
        for (String chart : List.of("chart-messages", "chart-bytes")) {
            waitUpTo(15).until(d -> chartHasANonZeroPoint(chart));
            assertThat(canvasHeight(chart)).as(chart + " height").isGreaterThanOrEqualTo(100);
        }
    }

    /** Every page renders to its footer, with labelled columns and local times, and fits a phone. */
    @Test
    @Order(10)
    void everyPageRendersWholeLabelledAndFitsAPhone() throws Exception {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "/");
        pages.put("clients", "/clients");
        pages.put("client", "/clients/" + talkerSession);
        pages.put("top", "/top");
        pages.put("bulk", "/clients/bulk?idPrefix=" + talkerId);
        pages.put("broadcast", "/broadcast");
        pages.put("sessions", "/sessions");
        pages.put("sessions-page-2", "/sessions?page=1");
        pages.put("messages", "/messages");
        pages.put("messages-search", "/messages?q=" + tag);
        pages.put("files", "/files");
        pages.put("users", "/users");
        pages.put("bans", "/bans");
        pages.put("alerts", "/alerts");
        pages.put("audit", "/audit");
        pages.put("cluster", "/cluster");
        pages.put("account", "/account");
        pages.put("not-found", "/no/such/page");
        SoftAssertions soft = new SoftAssertions();
        for (boolean phone : List.of(false, true)) {
            if (phone) {
                toPhone();
            }
            String size = phone ? "390" : "desktop";
            for (Map.Entry<String, String> page : pages.entrySet()) {
                String name = page.getKey() + " (" + size + ")";
                browser.get(url(page.getValue()));
                // The footer is the last thing a page renders: it is there if the page was not cut short.
                soft.assertThat(browser.findElements(
                                By.cssSelector(page.getKey().equals("not-found") ? "main h1" : "footer #version")))
                        .as(name + ": rendered to the end")
                        .isNotEmpty();
                soft.assertThat(unlabelledHeaders())
                        .as(name + ": headers without text")
                        .isEmpty();
                soft.assertThat(rawTimes())
                        .as(name + ": times not shown in local time")
                        .isEmpty();
                if (phone) {
                    soft.assertThat(pageWidth())
                            .as(name + ": page width (scrollWidth) within the 390 px screen")
                            .isLessThanOrEqualTo(PHONE);
                    if (FIT_A_PHONE.contains(page.getKey())) {
                        soft.assertThat(tablesScrollingSideways())
                                .as(name + ": tables that need sideways scrolling")
                                .isEmpty();
                    }
                }
                Browser.fullPageScreenshot(browser, "page-" + page.getKey() + "-" + size);
            }
        }
        Browser.reset(browser);
        browser.get(url("/login"));
        Browser.fullPageScreenshot(browser, "page-login-desktop");
        toPhone();
        browser.get(url("/login"));
        soft.assertThat(pageWidth()).as("login (390)").isLessThanOrEqualTo(PHONE);
        Browser.fullPageScreenshot(browser, "page-login-390");
        soft.assertAll();
    }

    @Test
    @Order(11)
    void emptyClientsPageNamesTheChatPort() throws Exception {
        talker.close();
        listener.close();
        browser.get(url("/clients"));
        String hint = "nc 127.0.0.1 " + gateway.port();
        waitUpTo(15).until(d -> d.findElement(By.tagName("main")).getText().contains(hint));
    }

    // Helpers ----------------------------------------------------------------------------

    private void pagesForwardAndBack(String path, String table) {
        browser.get(url(path));
        String first = pagerText();
        assertThat(first).matches("(?s).*page 1 of \\d+.*");
        String total = first.replaceAll("(?s).*page 1 of (\\d+).*", "$1");
        assertThat(Integer.parseInt(total)).isGreaterThanOrEqualTo(2);
        List<String> page1 = rows(table);
        assertThat(page1).hasSize(50);

        nextLink().click();
        waitUpTo(10).until(d -> pagerText().contains("page 2 of " + total));
        assertThat(browser.getCurrentUrl()).contains("page=1");
        List<String> page2 = rows(table);
        assertThat(page2).isNotEmpty().doesNotContainAnyElementsOf(page1);

        browser.findElement(By.xpath(link("Previous"))).click();
        waitUpTo(10).until(d -> pagerText().contains("page 1 of " + total));
        assertThat(rawTimes()).isEmpty();
    }

    private String pagerText() {
        List<org.openqa.selenium.WebElement> pager = browser.findElements(By.cssSelector("nav[aria-label=pages]"));
        return pager.isEmpty()
                ? "(no pager on " + browser.getCurrentUrl() + ")"
                : pager.get(0).getText();
    }

    private org.openqa.selenium.WebElement nextLink() {
        return browser.findElement(By.xpath(link("Next")));
    }

    private static String link(String text) {
        return "//nav[@aria-label='pages']//a[normalize-space()='" + text + "']";
    }

    @SuppressWarnings("unchecked")
    private List<String> rows(String table) {
        return new ArrayList<>((List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'))"
                        + ".filter(tr => tr.offsetParent !== null).map(tr => tr.innerText.trim());",
                table));
    }

    @SuppressWarnings("unchecked")
    private List<String> unlabelledHeaders() {
        return (List<String>) browser.executeScript("return Array.from(document.querySelectorAll('th'))"
                + ".filter(th => th.getClientRects().length > 0 && th.innerText.trim() === '')"
                + ".map(th => th.outerHTML);");
    }

    /** Times still in their ISO form: the page's script did not run (or the page was cut short). */
    @SuppressWarnings("unchecked")
    private List<String> rawTimes() {
        return (List<String>) browser.executeScript("return Array.from(document.querySelectorAll('time[data-utc]'))"
                + ".filter(t => t.textContent.trim() === t.getAttribute('data-utc')).map(t => t.outerHTML);");
    }

    @SuppressWarnings("unchecked")
    private List<String> tablesScrollingSideways() {
        return (List<String>) browser.executeScript("return Array.from(document.querySelectorAll('.table-responsive'))"
                + ".filter(t => t.scrollWidth > t.clientWidth)"
                + ".map(t => (t.querySelector('table') || t).id + ': ' + t.scrollWidth + ' > ' + t.clientWidth);");
    }

    private long pageWidth() {
        return ((Number) browser.executeScript("return document.documentElement.scrollWidth;")).longValue();
    }

    private boolean chartHasANonZeroPoint(String id) {
        return (Boolean) browser.executeScript(
                "const c = typeof Chart === 'undefined' ? undefined : Chart.getChart(arguments[0]);"
                        + "return !!c && c.data.datasets[0].data.length > 0"
                        + " && c.data.datasets[0].data.some(v => Number(v) > 0);",
                id);
    }

    private long canvasHeight(String id) {
        return ((Number) browser.executeScript(
                        "return document.getElementById(arguments[0]).getBoundingClientRect().height;", id))
                .longValue();
    }

    private long canvasWidth(String id) {
        return ((Number) browser.executeScript(
                        "return document.getElementById(arguments[0]).getBoundingClientRect().width;", id))
                .longValue();
    }

    /** A 390 px wide viewport, as on a phone. */
    private void toPhone() {
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", PHONE, "height", 844, "deviceScaleFactor", 1, "mobile", false));
        assertThat(((Number) browser.executeScript("return window.innerWidth;")).intValue())
                .isEqualTo(PHONE);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    private WebDriverWait waitUpTo(long seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }
}
