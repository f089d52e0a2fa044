package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code keygen}, {@code sign}, {@code verify}, {@code push --sign} and the verifying {@code pull} against a real
 * docker-registry; the key files are checked with openssl.
 */
class SigningCommandsTest extends DockerRegistryCommandTest {

    private Path keys(String name) {
        Path out = dir.resolve(name);
        Cli.Result r = Cli.run("keygen", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @Test
    void pushSignedPullsVerifiedAndRefusesWithoutTheRightKey() throws IOException {
        Path keys = keys("keys");
        Path other = keys("other");
        ExternalTool.output("openssl", "pkey", "-in", keys.resolve("signing.key").toString(), "-noout");
        assertEquals(ExternalTool.output("openssl", "pkey", "-in", keys.resolve("signing.key").toString(), "-pubout"),
                Files.readString(keys.resolve("signing.pub")));
        assertEquals(1, Cli.run("keygen", "--out", keys.toString()).exit(), "keygen never overwrites");

        Path layout = packaged("xdp_counter.o", "signed");
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url(), "--sign",
                keys.resolve("signing.key").toString());
        assertEquals(0, push.exit(), push.err());
        assertTrue(push.out().contains("signed sha256:"), push.out());

        String pub = keys.resolve("signing.pub").toString();
        Cli.Result verify = Cli.run("verify", "signed/xdp-counter@0.1.0", "--registry", REGISTRY.url(), "--key", pub);
        assertEquals(0, verify.exit(), verify.err());
        Cli.Result wrong = Cli.run("verify", "signed/xdp-counter@0.1.0", "--registry", REGISTRY.url(), "--key",
                other.resolve("signing.pub").toString());
        assertEquals(1, wrong.exit());
        assertTrue(wrong.err().contains("signed by an untrusted key"), wrong.err());

        Path noKeys = dir.resolve("no-keys");
        Cli.Result refused = Cli.run("pull", "signed/xdp-counter@0.1.0", "--registry", REGISTRY.url(), "--out",
                noKeys.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("no trusted keys") && refused.err().contains("--allow-unsigned"),
                refused.err());
        assertFalse(Files.exists(noKeys));
        Cli.Result noSuchVersion = Cli.run("pull", "signed/xdp-counter@9.9.9", "--registry", REGISTRY.url(), "--out",
                noKeys.toString());
        assertEquals(1, noSuchVersion.exit());
        assertTrue(noSuchVersion.err().contains("9.9.9") && !noSuchVersion.err().contains("trusted keys"),
                "a missing version is said before anything about keys: " + noSuchVersion.err());

        Cli.Result pull = Cli.run("pull", "signed/xdp-counter@0.1.0", "--registry", REGISTRY.url(), "--key", pub,
                "--out", dir.resolve("pulled").toString());
        assertEquals(0, pull.exit(), pull.err());
        assertTrue(pull.out().contains("signed by key sha256:"), pull.out());

        Path trusted = dir.resolve("config/trusted-keys");
        Files.createDirectories(trusted);
        Files.copy(keys.resolve("signing.pub"), trusted.resolve("release.pub"));
        Cli.Result byConfig = Cli.run("pull", "signed/xdp-counter@0.1.0", "--registry", REGISTRY.url(), "--out",
                dir.resolve("by-config").toString());
        assertEquals(0, byConfig.exit(), byConfig.err());
    }

    @Test
    void unsignedIsRefusedThenSignCommandMakesItVerify() {
        Path keys = keys("keys");
        String pub = keys.resolve("signing.pub").toString();
        Path layout = packaged("socket_filter.o", "later");
        assertEquals(0, Cli.run("push", layout.toString(), "--registry", REGISTRY.url()).exit());
        Path out = dir.resolve("unsigned");
        Cli.Result refused = Cli.run("pull", "later/socket-filter@0.1.0", "--registry", REGISTRY.url(), "--key", pub,
                "--out", out.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("unsigned"), refused.err());
        assertFalse(Files.exists(out));
        Cli.Result allowed = Cli.run("pull", "later/socket-filter@0.1.0", "--registry", REGISTRY.url(),
                "--allow-unsigned", "--out", out.toString());
        assertEquals(0, allowed.exit(), allowed.err());

        Cli.Result sign = Cli.run("sign", "later/socket-filter@0.1.0", "--registry", REGISTRY.url(), "--key",
                keys.resolve("signing.key").toString());
        assertEquals(0, sign.exit(), sign.err());
        assertEquals(0, Cli.run("verify", "later/socket-filter@0.1.0", "--registry", REGISTRY.url(), "--key", pub).exit());
    }

    @Test
    void malformedKeyStopsPushBeforeAnythingIsWritten() throws IOException {
        Path bad = dir.resolve("bad.key");
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path layout = packaged("xdp_counter.o", "badkey");
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url(), "--sign", bad.toString());
        assertEquals(1, push.exit());
        assertTrue(push.err().contains("bad key") && push.err().contains("bad.key"), push.err());
        Cli.Result verify = Cli.run("pull", "badkey/xdp-counter@0.1.0", "--registry", REGISTRY.url(),
                "--allow-unsigned", "--out", dir.resolve("x").toString());
        assertEquals(1, verify.exit(), "nothing was pushed");
        Cli.Result badPub = Cli.run("verify", "badkey/xdp-counter@0.1.0", "--registry", REGISTRY.url(), "--key",
                bad.toString());
        assertEquals(1, badPub.exit());
        assertTrue(badPub.err().contains("not a public key"), badPub.err());
    }

    /** The same flow against bpfstore's own registry (token flow, publisher login), started in-process. */
    @Test
    void ownRegistryStoresAndServesTheSignature() throws Exception {
        Path data = dir.resolve("own-data");
        Cli.Result created = Cli.run("publisher", "create", "ownsig", "--namespace", "ownsig", "--data",
                data.toString());
        assertEquals(0, created.exit(), created.err());
        String token = created.out().strip();
        try (io.bpfstore.registry.server.RegistryServer server = io.bpfstore.registry.server.RegistryServer.start(
                io.bpfstore.registry.server.RegistryConfig.of("127.0.0.1", 0, data))) {
            String url = "http://127.0.0.1:" + server.port();
            java.io.InputStream stdin = System.in;
            try {
                System.setIn(new java.io.ByteArrayInputStream((token + "\n").getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
                Cli.Result login = Cli.run("login", "--registry", url, "--username", "ownsig", "--password-stdin");
                assertEquals(0, login.exit(), login.err());
            } finally {
                System.setIn(stdin);
            }
            Path keys = keys("own-keys");
            Cli.Result push = Cli.run("push", packaged("xdp_counter.o", "ownsig").toString(), "--registry", url,
                    "--sign", keys.resolve("signing.key").toString());
            assertEquals(0, push.exit(), push.err());
            Cli.Result pull = Cli.run("pull", "ownsig/xdp-counter@0.1.0", "--registry", url, "--key",
                    keys.resolve("signing.pub").toString(), "--out", dir.resolve("own-pulled").toString());
            assertEquals(0, pull.exit(), pull.err());
            Cli.Result wrong = Cli.run("verify", "ownsig/xdp-counter@0.1.0", "--registry", url, "--key",
                    keys("own-other").resolve("signing.pub").toString());
            assertEquals(1, wrong.exit());
            assertTrue(wrong.err().contains("signed by an untrusted key"), wrong.err());
            assertEquals(0, Cli.run("push", packaged("socket_filter.o", "ownsig").toString(), "--registry", url)
                    .exit());
            Cli.Result unsigned = Cli.run("verify", "ownsig/socket-filter@0.1.0", "--registry", url, "--key",
                    keys.resolve("signing.pub").toString());
            assertEquals(1, unsigned.exit());
            assertTrue(unsigned.err().contains("unsigned"), unsigned.err());
        }
    }
}
