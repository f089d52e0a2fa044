package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI over HTTP against a registry holding packages pushed by the real client. */
class WebUiHttpTest {
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*\\d+:\\t.*");

    @TempDir
    static Path dir;
    static WebFixture web;

    @BeforeAll
    static void start() throws Exception {
        web = WebFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        if (web != null) {
            web.close();
        }
    }

    @Test
    void homeListsNewestPackagesWithSearchBox() throws Exception {
        HttpResponse<String> r = web.get("/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("default-src 'self'; frame-ancestors 'none'", r.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertTrue(r.body().contains("name=\"q\""));
        assertTrue(r.body().contains("href=\"/packages/acme/xdp-guard\""), r.body());
        assertTrue(r.body().contains("href=\"/packages/acme/exec-watch\""));
        // exec-watch was published last, so it comes first among the newest.
        assertTrue(r.body().indexOf("/packages/acme/exec-watch") < r.body().indexOf("/packages/acme/xdp-guard"));
    }

    @Test
    void searchFiltersByTextAndType() throws Exception {
        String byText = web.get("/search?q=watches").body();
        assertTrue(byText.contains("/packages/acme/exec-watch"));
        assertFalse(byText.contains("/packages/acme/xdp-guard"));
        String byType = web.get("/search?type=xdp").body();
        assertTrue(byType.contains("/packages/acme/xdp-guard"));
        assertFalse(byType.contains("/packages/acme/exec-watch"));
        String none = web.get("/search?q=nothing-like-this").body();
        assertTrue(none.contains("0 packages"));
        assertEquals(400, web.get("/search?q=" + "x".repeat(300)).statusCode()); // as the API answers it
        assertEquals(200, web.get("/search?page=notanumber").statusCode());
    }

    @Test
    void hostileMetadataIsEscaped() throws Exception {
        for (String path : List.of("/packages/acme/xdp-guard", "/search?q=drops", "/")) {
            String body = web.get(path).body();
            assertFalse(body.contains("<script"), path + " let a script tag through");
            assertFalse(body.contains("href=\"javascript:"), path + " made a javascript: link");
        }
        String page = web.get("/packages/acme/xdp-guard").body();
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; drops &quot;bad&quot; &amp; &#39;ugly&#39;"),
                page);
        assertTrue(page.contains("Mallory &lt;script&gt;x&lt;/script&gt;"));
        assertTrue(page.contains("href=\"https://example.org/guard?a=1&amp;b=2\""), "the homepage link is escaped");
        // A hostile query string is escaped in the search box value, too.
        String search = web.get("/search?q=%22%3E%3Cscript%3Ealert(3)%3C/script%3E").body();
        assertFalse(search.contains("<script"));
        assertTrue(search.contains("value=\"&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;\""));
    }

    @Test
    void packagePageShowsLatestNonYankedVersionAndItsParts() throws Exception {
        String page = web.get("/packages/acme/xdp-guard").body();
        assertTrue(page.contains("<span class=\"version big\">1.0.0</span>"), "1.1.0 is yanked, latest is 1.0.0");
        assertTrue(page.contains("bpfstore install acme/xdp-guard@1.0.0"));
        assertTrue(page.contains("bpfstore pull acme/xdp-guard@1.0.0"));
        assertTrue(page.contains("<code>xdp_guard</code>"));
        assertTrue(page.contains("<code>drops</code>"), "the map is listed");
        assertTrue(page.contains("<code>bpf_map_lookup_elem</code>"), "helpers are listed");
        // declared by plain name and by id, shown by id with the plain name; every derived one is declared
        assertTrue(page.contains("<code>inspects-interface-packets</code> <span class=\"perm\">inspects packets on "
                + "an interface</span>") && page.contains("<code>drops-packets</code>"), page);
        assertFalse(page.contains("not declared"), page);
        assertTrue(page.contains("<p class=\"empty\">Unsigned.</p>"), "no signature yet");
        assertTrue(page.contains("<a href=\"/search?license=GPL-2.0-only\">GPL-2.0-only</a>"));
        assertTrue(page.contains("<a href=\"/publishers/acme-corp\">acme-corp</a>"), "the namespace owner is linked");
        assertTrue(Pattern.compile("<code class=\"digest\">sha256:[0-9a-f]{64}</code>").matcher(page).find());
        assertTrue(page.contains("/packages/acme/xdp-guard/1.1.0\">1.1.0</a><span class=\"yanked\">yanked</span>"),
                "the yanked version is marked in the list");
        String yanked = web.get("/packages/acme/xdp-guard/1.1.0").body();
        assertTrue(yanked.contains("This version was yanked"));
    }

    @Test
    void derivedPermissionsMatchTheAnalyzerOnTheSameObject() throws Exception {
        Map<String, ProgramPermissions> derived = PermissionAnalyzer.derive(BpfObject.read(web.xdpObject));
        String page = unescape(web.get("/packages/acme/xdp-guard/1.0.0").body());
        assertFalse(derived.get("xdp_guard").permissions().isEmpty());
        for (var p : derived.get("xdp_guard").permissions()) {
            assertTrue(page.contains(p.description()), "page lacks derived permission " + p);
            assertTrue(page.contains(p.capability().name()));
            for (var e : derived.get("xdp_guard").evidenceFor(p)) {
                e.text().ifPresent(t -> assertTrue(page.contains(t), "page lacks evidence " + t));
            }
        }
        assertTrue(page.contains("drops packets"), "XDP_DROP is in the program");
        String trace = unescape(web.get("/packages/acme/exec-watch").body());
        assertTrue(trace.contains("exports data to user space"), "bpf_ringbuf_submit is in the program");
    }

    @Test
    void disassemblyMatchesLlvmObjdump() throws Exception {
        String page = unescape(web.get("/packages/acme/xdp-guard/1.0.0").body());
        Process p = new ProcessBuilder("llvm-objdump-19", "-d", web.xdpObject.toString())
                .redirectErrorStream(true).start();
        List<String> oracle = new String(p.getInputStream().readAllBytes()).lines()
                .filter(l -> INSTRUCTION.matcher(l).matches()).toList();
        assertEquals(0, p.waitFor());
        assertTrue(oracle.size() > 5, "llvm-objdump printed instructions");
        List<String> missing = new ArrayList<>();
        for (String line : oracle) {
            if (!page.contains(line)) {
                missing.add(line);
            }
        }
        assertTrue(missing.isEmpty(), "instruction lines of llvm-objdump-19 missing from the page: " + missing);
        assertTrue(page.contains("; if (data + 64 > end) {") || page.contains("; \tif (data + 64 > end) {")
                || page.contains("data + 64 > end"), "source lines from BTF are interleaved");
    }

    @Test
    void aPackageWhoseObjectCannotBeAnalysedIsRefusedAtPush() throws Exception {
        assertTrue(web.brokenRefusal != null, "the registry accepted a package whose layer is not ELF");
        assertEquals("MANIFEST_INVALID", web.brokenRefusal.code());
        assertTrue(web.brokenRefusal.getMessage().contains("ELF"), web.brokenRefusal.getMessage());
        assertEquals(404, web.get("/packages/acme/broken-object").statusCode());
    }

    @Test
    void aPrivateRegistryShowsBrowsersNoPackages(@TempDir Path other) throws Exception {
        try (RegistryServer closed = RegistryServer.start(
                RegistryConfig.of("127.0.0.1", 0, other).withPrivatePull(true))) {
            for (String path : List.of("/", "/search?q=x", "/packages/acme/xdp-guard")) {
                HttpResponse<String> r = web.http.send(HttpRequest.newBuilder(
                        URI.create(closed.uri() + path)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, r.statusCode(), path);
                assertTrue(r.body().contains("Private registry"));
            }
            HttpResponse<String> css = web.http.send(HttpRequest.newBuilder(
                    URI.create(closed.uri() + "/static/style.css")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, css.statusCode());
        }
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        HttpResponse<String> r = web.http.send(HttpRequest.newBuilder(web.uri("/search"))
                .POST(HttpRequest.BodyPublishers.ofString("q=x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void publisherPageListsNamespacesAndPackages() throws Exception {
        String page = web.get("/publishers/acme-corp").body();
        assertTrue(page.contains("<span class=\"tag\">acme</span>"));
        assertTrue(page.contains("href=\"/packages/acme/exec-watch\""));
        assertTrue(page.contains("href=\"/packages/acme/xdp-guard\""));
    }

    @Test
    void unknownThingsGetFriendlyHtml404s() throws Exception {
        for (String path : List.of("/packages/acme/nope", "/packages/acme/xdp-guard/9.9.9",
                "/packages/acme/xdp-guard/%3Cb%3E", "/packages/BAD/x", "/publishers/nobody",
                "/publishers/%3Cscript%3E", "/packages/acme", "/static/missing.css")) {
            HttpResponse<String> r = web.get(path);
            assertEquals(404, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"), path);
            assertTrue(r.body().contains("Not found") && r.body().contains("href=\"/\""), path);
            assertFalse(r.body().contains("<script") || r.body().contains("<b>"), path);
        }
        assertEquals(404, web.get("/no-such-endpoint").statusCode(), "other paths keep the JSON 404");
    }

    @Test
    void stylesheetIsServed() throws Exception {
        HttpResponse<String> r = web.get("/static/style.css");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/css"));
        assertTrue(r.body().contains("pre.asm"));
    }

    static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
