package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium driven through chromedriver: search from the home page, open a
 * result, and find the package's programs, permissions and disassembly. Screenshots go to {@code target/}.
 */
class ChromiumWebUiTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path dir;
    static WebFixture web;
    static ChromeDriverService service;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        // The CI installs both (scripts/setup); a missing browser is a failure, not a skip.
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: apt-get install chromium");
        assertTrue(Files.isExecutable(CHROMEDRIVER), CHROMEDRIVER + " is missing: apt-get install chromium-driver");
        web = WebFixture.start(dir);
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,1600");
        // An explicit driver executable keeps Selenium Manager (which would go to the network) out of it.
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (service != null) {
                    service.stop();
                }
            } finally {
                if (web != null) {
                    web.close();
                }
            }
        }
        // No browser of this test may outlive it: look for processes using its profile directory.
        String profile = dir.resolve("chromium-profile").toString();
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(profile)).orElse(false))
                .filter(p -> waitGone(p))
                .toList();
        assertTrue(left.isEmpty(), "chromium processes left behind: " + left);
    }

    private static boolean waitGone(ProcessHandle p) {
        try {
            p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            return false;
        } catch (Exception e) {
            return p.isAlive();
        }
    }

    @Test
    void searchOpenPackageAndReadIt() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(web.base() + "/");
        assertEquals("eBPF packages · bpfstore", browser.getTitle());
        assertTrue(browser.findElement(By.cssSelector("ul.hits")).getText().contains("acme/exec-watch"));
        screenshot("webui-home.png");

        WebElement box = browser.findElement(By.id("home-q"));
        box.sendKeys("guard");
        box.submit();
        wait.until(ExpectedConditions.urlContains("/search?q=guard"));
        WebElement results = browser.findElement(By.cssSelector("ul.hits"));
        assertTrue(results.getText().contains("acme/xdp-guard"), results.getText());
        assertFalse(results.getText().contains("acme/exec-watch"));
        // The hostile description is shown as text, and no script ran (an alert would block the driver).
        assertTrue(results.getText().contains("<script>alert(1)</script>"), results.getText());
        screenshot("webui-search.png");

        browser.findElement(By.linkText("acme/xdp-guard")).click();
        wait.until(ExpectedConditions.urlContains("/packages/acme/xdp-guard"));
        assertTrue(browser.findElement(By.tagName("h1")).getText().contains("acme/xdp-guard"));
        String programs = browser.findElement(By.id("programs")).getText();
        assertTrue(programs.contains("xdp_guard") && programs.contains("bpf_map_lookup_elem"), programs);
        String permissions = browser.findElement(By.id("permissions")).getText();
        assertTrue(permissions.contains("drops packets"), permissions);
        assertTrue(permissions.contains("inspects-interface-packets"), permissions);
        String listing = browser.findElement(By.cssSelector("#disassembly pre.asm")).getText();
        assertTrue(listing.contains("exit"), listing);
        assertTrue(listing.contains("data + 64 > end"), "source lines interleaved: " + listing);
        // The stylesheet loaded under the CSP: the header bar is dark, not the browser default.
        String bar = browser.findElement(By.cssSelector("header.top")).getCssValue("background-color");
        assertEquals("rgba(20, 26, 42, 1)", bar);
        browser.manage().window().setSize(new Dimension(1280, 2400));
        screenshot("webui-package.png");

        browser.get(web.base() + "/packages/acme/none");
        assertTrue(browser.findElement(By.tagName("h1")).getText().contains("Not found"));
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
