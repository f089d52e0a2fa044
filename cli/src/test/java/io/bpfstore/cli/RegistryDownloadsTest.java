package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against bpfstore's own registry (in-process, token flow): downloads are counted for {@code pull}, {@code install}
 * and plain OCI pulls (skopeo), and not for {@code verify}, {@code check}, {@code policy check} or a page view; a
 * published version cannot be pushed again with other content, and the CLI says to yank and publish a new one.
 */
class RegistryDownloadsTest {
    private static final String VERSION_PATH = "/api/v1/packages/counts/xdp-counter/0.1.0";

    @TempDir
    Path dir;
    RegistryServer server;
    String url;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        System.setProperty("bpfstore.config", dir.resolve("config/config.yaml").toString());
        Path data = dir.resolve("data");
        Cli.Result created = Cli.run("publisher", "create", "counter", "--namespace", "counts", "--data",
                data.toString());
        assertEquals(0, created.exit(), created.err());
        server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data));
        url = "http://127.0.0.1:" + server.port();
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((created.out().strip() + "\n").getBytes(StandardCharsets.UTF_8)));
            Cli.Result login = Cli.run("login", "--registry", url, "--username", "counter", "--password-stdin");
            assertEquals(0, login.exit(), login.err());
        } finally {
            System.setIn(stdin);
        }
    }

    @AfterEach
    void stop() {
        System.clearProperty("bpfstore.config");
        http.close();
        if (server != null) {
            server.close();
        }
    }

    private Path packaged(String objectName) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src-" + objectName));
        Path object = Files.copy(ExampleObjects.dir().resolve("xdp_counter.o"), src.resolve(objectName));
        Path out = dir.resolve(objectName + ".layout");
        Cli.Result r = Cli.run("package", object.toString(), "--namespace", "counts", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long downloads() throws Exception {
        HttpResponse<String> r = get(VERSION_PATH, "application/json");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode version = Json.mapper().readTree(r.body());
        return version.path("downloads").asLong(-1);
    }

    private void assertDownloads(long expected, String after) throws Exception {
        assertEquals(expected, downloads(), "downloads after " + after);
    }

    @Test
    void onlyPullsAndInstallsCountAndPublishedVersionsStayPut() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(0, Cli.run("keygen", "--out", keys.toString()).exit());
        String pub = keys.resolve("signing.pub").toString();
        Path layout = packaged("xdp_counter.o");
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", url, "--sign",
                keys.resolve("signing.key").toString());
        assertEquals(0, push.exit(), push.err());
        assertDownloads(0, "push");

        Cli.Result pull = Cli.run("pull", "counts/xdp-counter@0.1.0", "--registry", url, "--key", pub, "--out",
                dir.resolve("pulled").toString());
        assertEquals(0, pull.exit(), pull.err());
        assertDownloads(1, "pull (one download, though it reads the manifest three times)");

        Cli.Result verify = Cli.run("verify", "counts/xdp-counter@0.1.0", "--registry", url, "--key", pub);
        assertEquals(0, verify.exit(), verify.err());
        assertDownloads(1, "verify");

        Cli.Result check = Cli.run("check", "--registry", url, "counts/xdp-counter@0.1.0");
        assertEquals(0, check.exit(), check.out() + check.err());
        assertDownloads(1, "check");

        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "allow-unsigned: yes\n");
        Cli.Result decided = Cli.run("policy", "check", "counts/xdp-counter@0.1.0", "--registry", url, "--policy",
                policy.toString());
        assertEquals(0, decided.exit(), decided.out() + decided.err());
        assertDownloads(1, "policy check");

        HttpResponse<String> page = get("/packages/counts/xdp-counter/0.1.0", "text/html");
        assertEquals(200, page.statusCode());
        assertDownloads(1, "a page view");

        try (InstallHost h = InstallHost.create("dl", dir)) {
            h.ok("install", "counts/xdp-counter@0.1.0", "--registry", url, "--allow-unsigned", "--iface", h.ifB,
                    "--netns", h.nsB);
            assertDownloads(2, "install");
            h.ok("uninstall", "xdp-counter");
        }

        ExternalTool.output("skopeo", "copy", "--quiet", "--src-tls-verify=false",
                "docker://127.0.0.1:" + server.port() + "/counts/xdp-counter:0.1.0", "oci:" + dir.resolve("skopeo")
                        + ":0.1.0");
        assertDownloads(3, "skopeo copy (a plain OCI client pulls)");

        // The same version with other content (the object under another file name) is refused; the same
        // content again is fine.
        Cli.Result changed = Cli.run("push", packaged("xdp_counter.v2.o").toString(), "--registry", url);
        assertEquals(1, changed.exit(), changed.out() + changed.err());
        assertTrue(changed.err().contains("counts/xdp-counter 0.1.0 is already published with other content"),
                changed.err());
        assertTrue(changed.err().contains("published versions are immutable: yank it (bpfstore yank "
                + "counts/xdp-counter@0.1.0) and publish a new version instead"), changed.err());
        assertFalse(changed.err().contains("Exception"), changed.err());
        Cli.Result again = Cli.run("push", layout.toString(), "--registry", url);
        assertEquals(0, again.exit(), again.err());
        Cli.Result pulledAgain = Cli.run("pull", "counts/xdp-counter@0.1.0", "--registry", url, "--key", pub,
                "--out", dir.resolve("pulled-again").toString());
        assertEquals(0, pulledAgain.exit(), pulledAgain.err());
        assertTrue(pulledAgain.out().contains(Json.mapper().readTree(Files.readAllBytes(layout.resolve("index.json")))
                .path("manifests").path(0).path("digest").asText()), "still the first content: " + pulledAgain.out());
        assertDownloads(4, "the second pull");
    }
}
