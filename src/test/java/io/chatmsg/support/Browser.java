package io.chatmsg.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's Chromium driven by Selenium, started as the workplace knows works:
 * headless, no sandbox (CI runs as root), no background networking, a fresh
 * profile. Without the browser a developer's run skips with a clear message;
 * under {@code CI=true} it fails.
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static ChromeDriver shared;

    private Browser() {}

    /**
     * One browser for the whole test run (starting Chromium costs seconds), quit
     * when the JVM exits; each test starts from {@link #reset}.
     */
    public static synchronized ChromeDriver shared() throws IOException {
        if (shared == null) {
            ChromeDriver driver = start(1280, 900);
            Runtime.getRuntime().addShutdownHook(new Thread(driver::quit, "quit-chromium"));
            shared = driver;
        }
        return shared;
    }

    /** A blank page, no cookies (so logged out), a desktop-sized window and viewport. */
    public static void reset(ChromeDriver driver) {
        driver.get("about:blank");
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    }

    public static ChromeDriver start(int width, int height) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why =
                    "Chromium and ChromeDriver are needed for the browser tests: apt-get install chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        Path profile = Files.createTempDirectory("chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // Bootstrap scrolls smoothly otherwise, and a click on a link below the fold lands mid-scroll.
                "--force-prefers-reduced-motion",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        // A page that never finishes (a response cut off mid-body) fails its test instead of stalling the run.
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        return driver;
    }

    /** Saves what the browser shows under {@code target/screenshots/<name>.png}. */
    public static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve(name + ".png"), png);
    }

    /** The whole page, beyond the viewport, under {@code target/screenshots/<name>.png}. */
    public static void fullPageScreenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) driver.executeScript(
                "return {w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight};");
        Map<String, Object> clip = Map.of(
                "x",
                0,
                "y",
                0,
                "width",
                size.get("w"),
                "height",
                Math.min(((Number) size.get("h")).longValue(), 4000),
                "scale",
                1);
        Map<String, Object> shot = driver.executeCdpCommand(
                "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.write(dir.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }
}
