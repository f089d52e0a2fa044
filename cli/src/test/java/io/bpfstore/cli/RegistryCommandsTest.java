package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.testsupport.ExternalTool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code publisher} in-process; {@code serve} as a real process, pushed to with skopeo and stopped by SIGTERM. */
class RegistryCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void publisherCreatePrintsATokenOnceAndRefusesDuplicates() {
        Path data = tmp.resolve("data");
        Cli.Result r = Cli.run("publisher", "create", "alice", "--namespace", "examples", "--namespace", "tools",
                "--data", data.toString());
        assertEquals(0, r.exit(), r.err());
        String token = r.out().strip();
        assertTrue(token.matches("bpfs_[A-Za-z0-9_-]{43}"), token);
        assertTrue(r.err().contains("owning examples, tools"), r.err());
        assertTrue(Files.exists(data.resolve("registry.db")));

        Cli.Result again = Cli.run("publisher", "token", "alice", "--data", data.toString());
        assertEquals(0, again.exit(), again.err());
        assertFalse(again.out().strip().equals(token), "a new token each time");

        for (String[] bad : List.of(
                new String[] {"publisher", "create", "alice", "--namespace", "other", "--data", data.toString()},
                new String[] {"publisher", "create", "bob", "--namespace", "examples", "--data", data.toString()},
                new String[] {"publisher", "create", "carol", "--namespace", "Bad/NS", "--data", data.toString()},
                new String[] {"publisher", "create", "a b", "--namespace", "ok", "--data", data.toString()},
                new String[] {"publisher", "token", "nobody", "--data", data.toString()})) {
            Cli.Result f = Cli.run(bad);
            assertTrue(f.exit() != 0, String.join(" ", bad));
            assertEquals(1, f.err().lines().count(), "one line: " + f.err());
            assertEquals("", f.out(), "no token printed on failure");
        }
        assertTrue(Cli.run("publisher", "create", "alice", "--namespace", "other", "--data", data.toString())
                .err().contains("already exists"));
    }

    @Test
    void serveRejectsBadArgumentsInOneLine() {
        for (String listen : List.of("nonsense", "127.0.0.1:99999", ":80")) {
            Cli.Result r = Cli.run("serve", "--listen", listen, "--data", tmp.toString());
            assertEquals(2, r.exit(), listen);
            assertTrue(r.err().startsWith("bpfstore serve: --listen"), r.err());
        }
        Cli.Result r = Cli.run("serve", "--listen", "127.0.0.1:0", "--max-blob-size", "12X", "--data", tmp.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--max-blob-size"), r.err());
        assertEquals(5L << 20, ServeCommand.parseSize("--max-blob-size", "5M"));
        assertEquals(1000, ServeCommand.parseSize("--max-blob-size", "1000"));
        for (String bad : List.of("5", "1w", "-1h", "h")) {
            Cli.Result d = Cli.run("serve", "--listen", "127.0.0.1:0", "--gc-interval", bad, "--data", tmp.toString());
            assertEquals(2, d.exit(), bad);
            assertTrue(d.err().startsWith("bpfstore serve: --gc-interval"), d.err());
        }
        assertEquals(java.time.Duration.ofMinutes(90), ServeCommand.parseDuration("--gc-grace", "90m"));
        assertEquals(java.time.Duration.ZERO, ServeCommand.parseDuration("--gc-interval", "0"));
    }

    @Test
    void serveLimitsDefaultToTheRegistrysAndHelpStatesThem() {
        ServeCommand defaults = new ServeCommand();
        new picocli.CommandLine(defaults).parseArgs("--data", tmp.toString());
        assertEquals(io.bpfstore.registry.limits.RegistryLimits.DEFAULT, defaults.limits.limits(),
                "serve's flag defaults are the registry's documented defaults");
        assertEquals(false, defaults.mutableVersions, "published versions are immutable unless asked");
        ServeCommand set = new ServeCommand();
        new picocli.CommandLine(set).parseArgs("--data", tmp.toString(), "--max-uploads-per-publisher", "2",
                "--max-staged", "3G", "--max-failed-logins", "4", "--analysis-budget", "5s");
        var limits = set.limits.limits();
        assertEquals(2, limits.uploadSessionsPerAccount());
        assertEquals(3L << 30, limits.stagedBytesTotal());
        assertEquals(4, limits.failedLoginsPerMinute());
        assertEquals(java.time.Duration.ofSeconds(5), limits.analysisBudget());
        String help = Cli.run("serve", "--help").out().replaceAll("\\s+", " ");
        for (String stated : List.of("--max-uploads-per-publisher=N open upload sessions one publisher may hold (default: 16)",
                "--max-staged=N bytes all unfinished uploads may hold (default: 16G)",
                "(default: 10)", "(default: 120)", "(default: 20s)", "(default: 100000)", "(default: 512M)",
                "--mutable-versions let a publisher push a published version again with other content (default: false:"
                        + " published versions are immutable")) {
            assertTrue(help.contains(stated), stated + " in: " + help);
        }
        Cli.Result zero = Cli.run("serve", "--listen", "127.0.0.1:0", "--max-uploads", "0", "--data", tmp.toString());
        assertEquals(2, zero.exit(), zero.err());
        assertTrue(zero.err().contains("every registry limit must be a positive number"), zero.err());
    }

    @Test
    void serveRunsUntilSigtermAndSkopeoPushesWithThePrintedToken() throws Exception {
        Path data = tmp.resolve("data");
        Cli.Result created = Cli.run("publisher", "create", "alice", "--namespace", "examples", "--data", data.toString());
        String token = created.out().strip();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // --enable-native-access as the shaded jar's manifest grants it (sqlite-jdbc loads its native library).
        Process serve = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.bpfstore.cli.Main", "serve", "--listen", "127.0.0.1:" + port, "--data", data.toString(),
                "--max-blob-size", "1M").redirectError(tmp.resolve("serve.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertEquals("bpfstore registry listening on http://127.0.0.1:" + port + " (data " + data.toAbsolutePath()
                    + ")", first, () -> first + " / " + readQuietly(tmp.resolve("serve.err")));

            // A second server on the same port fails with one clear line.
            Cli.Result busy = Cli.run("serve", "--listen", "127.0.0.1:" + port, "--data", tmp.resolve("d2").toString());
            assertEquals(1, busy.exit());
            assertTrue(busy.err().startsWith("bpfstore serve: cannot listen on 127.0.0.1:" + port), busy.err());

            Path layout = tmp.resolve("layout");
            byte[] manifest = writeMinimalLayout(layout);
            String ref = "docker://127.0.0.1:" + port + "/examples/hello:1";
            ExternalTool.output("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", "--dest-creds",
                    "alice:" + token, "oci:" + layout + ":1", ref);
            assertArrayEquals(manifest, ExternalTool.output("skopeo", "inspect", "--raw", "--tls-verify=false", ref)
                    .getBytes(StandardCharsets.UTF_8));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> pub = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/publishers/alice")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("[\"examples\"]", JSON.readTree(pub.body()).path("namespaces").toString());
            // --max-blob-size is in force.
            HttpResponse<String> tok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/token?service=bpfstore&scope=repository:examples/hello:pull,push")).header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(("alice:" + token).getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String bearer = JSON.readTree(tok.body()).path("token").asText();
            byte[] big = new byte[(1 << 20) + 1];
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v2/examples/hello/blobs/uploads/?digest=" + sha256(big))).header("Authorization", "Bearer " + bearer)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, refused.statusCode());

            // SIGTERM (Process.destroy would also close our end of its stdout, which we still read).
            ExternalTool.output("kill", "-TERM", Long.toString(serve.pid()));
            assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "stops on SIGTERM");
            assertEquals(143, serve.exitValue(), "exit status of a SIGTERM stop");
            assertEquals("bpfstore registry stopping", out.readLine());
            assertFalse(Files.exists(data.resolve("registry.db-wal")) && Files.size(data.resolve("registry.db-wal")) > 0,
                    "database closed cleanly (WAL checkpointed)");
            assertEquals("", readQuietly(tmp.resolve("serve.err")).strip(), "nothing on stderr");
        } finally {
            serve.destroyForcibly();
        }
    }

    /** A one-layer OCI image layout tagged "1"; returns the manifest bytes. */
    private static byte[] writeMinimalLayout(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] layer = "not really a tarball, but blobs are opaque".getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + sha256(layer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + sha256(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        for (byte[] b : List.of(layer, config, manifest)) {
            Files.write(dir.resolve("blobs/sha256").resolve(sha256(b).substring(7)), b);
        }
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + sha256(manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}");
        return manifest;
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
