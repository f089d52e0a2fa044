package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * result, and find the package's programs, permissions and disassembly; then every kind of page at a desktop and a
 * phone width, checked in the DOM (nothing wider than the viewport, no "null", dates for people, no build-machine
 * paths, helpers once, long clash texts folded). Screenshots (whole pages) go to {@code target/webui-*.png}.
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
        // two XDP packages that clash, so that a Clashes card has findings to fold
        String permissions = "permissions: [inspects-interface-packets, inspects-interface-traffic, drops-packets, "
                + "transmits-packets, redirects-packets, rewrites-packets]\n";
        Path src = dir.resolve("src");
        Files.writeString(src.resolve("ssh_drop.c"), ClashSectionTest.xdp("ssh_drop", "IPPROTO_TCP", "tcphdr", 22,
                "XDP_DROP"));
        Files.writeString(src.resolve("ssh_tx.c"), ClashSectionTest.xdp("ssh_tx", "IPPROTO_TCP", "tcphdr", 22,
                "XDP_TX"));
        web.push(src.resolve("ssh_drop.c"), "ssh-drop", "1.0.0", permissions);
        web.push(src.resolve("ssh_tx.c"), "ssh-tx", "1.0.0", permissions);
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

    /** The pages checked at each width, and the file name of their screenshots. */
    private static final List<String[]> PAGES = List.of(
            new String[] {"/", "home"},
            new String[] {"/search?q=xdp", "search"},
            new String[] {"/packages/acme/xdp-guard", "package"},
            new String[] {"/packages/acme/xdp-guard/1.1.0", "yanked"},
            new String[] {"/packages/acme/exec-watch", "tracepoint"},
            new String[] {"/packages/acme/ssh-drop", "clashes"},
            new String[] {"/publishers/acme-corp", "publisher"},
            new String[] {"/no/such/page", "404"});

    /**
     * Problems of the page in the browser: elements reaching past the viewport's width (the disassembly's lines
     * scroll inside their own box, which must fit), a page that scrolls sideways, the words null and undefined,
     * machine timestamps or unformatted dates, and {@code arguments[0]} (the build directory) anywhere.
     */
    private static final String PROBLEMS = """
            const w = document.documentElement.clientWidth;
            const problems = [];
            const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/ +/g, '.') : '');
            if (document.documentElement.scrollWidth > w) {
              problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + w);
            }
            for (const e of document.querySelectorAll('body *')) {
              if (e.parentElement.closest('pre.asm')) continue;
              const r = e.getBoundingClientRect();
              if (r.width === 0 || r.height === 0) continue;
              if (r.right > w + 0.5 || r.left < -0.5) {
                problems.push(describe(e) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + w
                    + ': ' + e.textContent.slice(0, 60));
              }
            }
            const text = document.body.innerText;
            for (const word of [/\\bnull\\b/, /\\bundefined\\b/, /\\bNaN\\b/]) {
              if (word.test(text)) problems.push('the text ' + word);
            }
            if (/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d/.test(text)) problems.push('a machine timestamp');
            for (const t of document.querySelectorAll('time')) {
              if (!/^\\d{1,2} [A-Z][a-z]{2} \\d{4}(, \\d\\d:\\d\\d UTC)?$/.test(t.textContent)) {
                problems.push('date ' + t.textContent);
              }
              if (isNaN(Date.parse(t.getAttribute('datetime')))) problems.push('datetime ' + t.getAttribute('datetime'));
            }
            if (document.documentElement.innerHTML.includes(arguments[0])) problems.push('the build path ' + arguments[0]);
            if (/ @ \\/\\S*:\\d+:\\d+/.test(text)) problems.push('an absolute source path');
            return problems;
            """;

    @Test
    void everyPageFitsAndReadsWellOnADesktopAndAPhone() throws Exception {
        List<String> problems = new java.util.ArrayList<>();
        try {
            checkPages(problems);
        } finally {
            browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
        }
        assertEquals(List.of(), problems);
    }

    private static void checkPages(List<String> problems) throws Exception {
        for (boolean phone : new boolean[] {false, true}) {
            if (phone) {
                browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 375,
                        "height", 812, "deviceScaleFactor", 2, "mobile", true));
            } else {
                browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
            }
            for (String[] page : PAGES) {
                open(page[0]);
                Object found = browser.executeScript(PROBLEMS, dir.toString());
                for (Object p : (List<?>) found) {
                    problems.add((phone ? "phone " : "desktop ") + page[0] + ": " + p);
                }
                fullScreenshot("webui-" + page[1] + (phone ? "-phone" : "-desktop") + ".png");
                long width = (Long) browser.executeScript("return document.documentElement.clientWidth");
                assertTrue(phone ? width <= 400 : width >= 1000, page[0] + " viewport " + width);
            }
        }
    }

    @Test
    void packagePagePartsAreTheReadableOnes() throws Exception {
        browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());
        open("/packages/acme/xdp-guard");
        // the listing's source lines name the file relative to the package, not the build machine's path
        String listing = browser.findElement(By.cssSelector("#disassembly pre.asm")).getText();
        assertTrue(listing.contains(" @ xdp_guard.c:"), listing);
        assertFalse(listing.contains(dir.toString()), listing);
        // helpers once: in the Programs card, not again per program nor under Requirements
        String programs = browser.findElement(By.id("programs")).getText();
        assertEquals(1, programs.split("bpf_map_lookup_elem", -1).length - 1, programs);
        assertFalse(browser.findElement(By.id("requirements")).getText().contains("bpf_map_lookup_elem"));
        assertTrue(browser.findElement(By.id("size")).getText().matches("\\d+(\\.\\d)? (bytes|KiB|MiB) to download"),
                browser.findElement(By.id("size")).getText());
        String versions = browser.findElement(By.id("versions")).getText();
        assertTrue(browser.findElement(By.cssSelector("#versions .immutability")).getText()
                .startsWith("Immutable: a published version keeps its content"), versions);
        WebElement yanked = browser.findElements(By.cssSelector("#versions li")).stream()
                .filter(li -> li.findElement(By.tagName("a")).getText().equals("1.1.0")).findFirst().orElseThrow();
        assertEquals("yanked", yanked.findElement(By.className("yanked")).getText());
        assertEquals(2, browser.findElements(By.cssSelector("#versions time")).size(), versions);

        // a long clash reasoning shows its head; the rest opens on demand
        open("/packages/acme/ssh-drop");
        List<WebElement> clashes = browser.findElements(By.cssSelector("#clashes li.clash"));
        assertFalse(clashes.isEmpty(), browser.findElement(By.id("clashes")).getText());
        List<WebElement> folds = browser.findElements(By.cssSelector("#clashes details.fold"));
        assertFalse(folds.isEmpty(), "the clash texts are long enough to fold: "
                + browser.findElement(By.id("clashes")).getText());
        WebElement fold = folds.getFirst();
        WebElement rest = fold.findElement(By.tagName("p"));
        assertFalse(rest.isDisplayed(), "folded, the rest is hidden: " + rest.getText());
        assertTrue(fold.findElement(By.tagName("summary")).isDisplayed());
        fold.findElement(By.tagName("summary")).click();
        assertTrue(fold.getAttribute("open") != null);
        assertTrue(rest.isDisplayed(), "opened, the rest shows");
        for (WebElement reason : browser.findElements(By.cssSelector("#clashes p.reason"))) {
            assertTrue(reason.getText().length() <= Fold.SHORT, "unfolded long text: " + reason.getText());
        }
        // a path nothing serves gets the HTML 404 page in a browser (it asks for text/html)
        open("/no/such/page");
        assertEquals("Not found", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.findElement(By.cssSelector(".notfound")).getText().contains("There is no page /no/such/page"));
    }

    /** Loads {@code path}, reloading while the object's analysis is still running (it is started at push). */
    private static void open(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        browser.get(web.base() + path);
        while (browser.getPageSource().contains("reload the page in a moment") && System.nanoTime() < deadline) {
            Thread.sleep(250);
            browser.navigate().refresh();
        }
    }

    /** A screenshot of the whole page (at most 8000 CSS pixels tall), through the DevTools protocol. */
    private static void fullScreenshot(String name) throws Exception {
        long width = (Long) browser.executeScript("return document.documentElement.clientWidth");
        long height = Math.min(8000, (Long) browser.executeScript("return document.documentElement.scrollHeight"));
        java.util.Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", java.util.Map.of(
                "format", "png", "captureBeyondViewport", true, "clip", java.util.Map.of("x", 0, "y", 0,
                        "width", width, "height", height, "scale", 1)));
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, java.util.Base64.getDecoder().decode((String) shot.get("data")));
    }

    private static void screenshot(String name) throws Exception {
        // the bytes, not OutputType.FILE: selenium leaves that file in the temporary directory
        byte[] shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, shot);
    }
}
