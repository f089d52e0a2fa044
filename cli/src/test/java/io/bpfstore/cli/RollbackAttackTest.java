package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 3, the rollback half: after a newer version was pulled, a registry whose storage was tampered with
 * serves an older, validly signed version — as "latest", under a newer tag, or simply when asked for by version —
 * and {@code pull} and {@code install} refuse it unless {@code --allow-downgrade} is given. The registry is a real
 * docker-registry; the tampering is a manifest PUT straight into it, as a storage attacker would.
 */
class RollbackAttackTest extends DockerRegistryCommandTest {
    private static final String PACKAGE = "examples/xdp-counter";

    @Test
    void anOlderSignedVersionAfterANewerPullIsRefusedUnlessADowngradeIsAskedFor() throws Exception {
        Path keys = dir.resolve("keys");
        assertEquals(0, Cli.run("keygen", "--out", keys.toString()).exit());
        String key = keys.resolve("signing.key").toString();
        String pub = keys.resolve("signing.pub").toString();
        for (String version : new String[] {"1.0.0", "2.0.0"}) {
            Cli.Result push = Cli.run("push", InstallHost.layout("xdp_counter", version, dir).toString(), "--registry",
                    REGISTRY.url(), "--sign", key);
            assertEquals(0, push.exit(), push.err());
        }
        Cli.Result newest = pull(PACKAGE, "newest", "--key", pub);
        assertEquals(0, newest.exit(), newest.err());
        assertTrue(newest.out().contains(PACKAGE + "@2.0.0"), "latest is 2.0.0: " + newest.out());
        Path record = dir.resolve("config/pulled-versions.json");
        assertEquals("2.0.0", Json.mapper().readTree(record.toFile()).path(REGISTRY.url()).path(PACKAGE).asText(),
                "the pull is recorded beside the config file");

        // the attacker copies the signed 1.0.0 manifest under a newer tag, which becomes the highest ("latest")
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> old = http.send(HttpRequest.newBuilder(URI.create(REGISTRY.url() + "/v2/" + PACKAGE
                + "/manifests/1.0.0")).header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, old.statusCode());
        HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(REGISTRY.url() + "/v2/" + PACKAGE
                + "/manifests/3.0.0")).header("Content-Type", old.headers().firstValue("Content-Type").orElseThrow())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(old.body())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, tampered.statusCode(), tampered.body());
        Cli.Result underNewerTag = pull(PACKAGE, "under-newer-tag", "--key", pub);
        assertEquals(1, underNewerTag.exit(), underNewerTag.out());
        assertTrue(underNewerTag.err().contains("served version 1.0.0 under tag 3.0.0"), underNewerTag.err());
        // by digest the tag cannot be compared; the pulled record still refuses the older content
        String digest = "sha256:" + sha256(old.body());
        Cli.Result byDigest = pull(PACKAGE + "@" + digest, "by-digest", "--key", pub);
        assertEquals(1, byDigest.exit(), byDigest.out());
        assertTrue(byDigest.err().contains("1.0.0 is older than 2.0.0") && byDigest.err().contains("--allow-downgrade"),
                byDigest.err());
        assertFalse(Files.exists(dir.resolve("by-digest")), "nothing written on refusal");
        // asked for by version: refused before anything is downloaded, then allowed when asked for
        Cli.Result named = pull(PACKAGE + "@1.0.0", "named", "--key", pub, "-o", "json");
        assertEquals(1, named.exit());
        JsonNode error = Json.mapper().readTree(named.out()).path("error");
        assertTrue(error.path("message").asText().contains("older than 2.0.0"), named.out());
        Cli.Result allowed = pull(PACKAGE + "@1.0.0", "allowed", "--key", pub, "--allow-downgrade");
        assertEquals(0, allowed.exit(), allowed.err());
        assertEquals("2.0.0", Json.mapper().readTree(record.toFile()).path(REGISTRY.url()).path(PACKAGE).asText(),
                "a downgrade asked for once does not lower the record");

        // install answers to the same record, before anything touches the kernel
        Cli.Result install = Cli.run("install", PACKAGE + "@1.0.0", "--registry", REGISTRY.url(), "--key", pub,
                "--iface", "bst-none0", "--state-dir", dir.resolve("state").toString(), "--bpffs",
                dir.resolve("bpffs").toString());
        assertEquals(1, install.exit(), install.out());
        assertTrue(install.err().contains("1.0.0 is older than 2.0.0"), install.err());
    }

    private Cli.Result pull(String reference, String out, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("pull", reference, "--registry",
                REGISTRY.url(), "--out", dir.resolve(out).toString()));
        args.addAll(java.util.List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String sha256(byte[] bytes) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
