package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import io.bpfstore.testsupport.TestPrograms;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The trust commands end to end: publish refused for undeclared permissions (package and push), {@code policy
 * check} on layouts and on signed packages in a real docker-registry, encrypted keys from {@code keygen}.
 */
class TrustCommandsTest extends DockerRegistryCommandTest {

    private Path pokeManifest(String permissions) throws Exception {
        Files.writeString(dir.resolve("poke.c"), TestPrograms.PROBE_WRITE_USER);
        Path yaml = dir.resolve("bpfstore.yaml");
        Files.writeString(yaml, "name: poke\nnamespace: tests\nversion: 1.0.0\nlicense: GPL-2.0-only\n"
                + "permissions: [" + permissions + "]\nobject: poke.c\n");
        return yaml;
    }

    @Test
    void packageAndPushRefuseUndeclaredProbeWriteUser() throws Exception {
        Path out = dir.resolve("refused");
        Cli.Result r = Cli.run("package", "-m", pokeManifest("observes-kernel-events").toString(), "--out",
                out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("bpfstore package: refused: tests/poke 1.0.0: the object needs permissions"),
                r.err());
        assertTrue(r.err().contains("writes-process-memory (writes process memory), needs CAP_SYS_ADMIN"), r.err());
        assertTrue(r.err().contains(": call 0x24 at poke.c:8; calls bpf_probe_write_user"), r.err());
        assertFalse(Files.exists(out), "nothing written");

        // declared, it packages and pushes
        Path layout = dir.resolve("layout");
        Cli.Result ok = Cli.run("package", "-m", pokeManifest("observes-kernel-events, writes-process-memory")
                .toString(), "--out", layout.toString());
        assertEquals(0, ok.exit(), ok.err());
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url());
        assertEquals(0, push.exit(), push.err());
    }

    @Test
    void policyCheckOnALayoutNamesEveryDenial() throws Exception {
        Path layout = dir.resolve("layout");
        assertEquals(0, Cli.run("package", "-m", pokeManifest("observes-kernel-events, writes-process-memory")
                .toString(), "--out", layout.toString()).exit());
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "allow-unsigned: yes\ndeny-permissions: [writes-process-memory]\n"
                + "allow-program-types: [xdp, sched_cls]\n");
        Cli.Result deny = Cli.run("policy", "check", layout.toString(), "--policy", policy.toString());
        assertEquals(3, deny.exit(), deny.out() + deny.err());
        assertTrue(deny.out().startsWith("deny tests/poke@1.0.0"), deny.out());
        assertTrue(deny.out().contains("deny  permission: writes-process-memory (writes process memory) is denied"),
                deny.out());
        assertTrue(deny.out().contains("call 0x24 at poke.c:8"), deny.out());
        assertTrue(deny.out().contains("deny  program-type: program type tracepoint (poke) is not in "
                + "allow-program-types (sched_cls, xdp)"), deny.out());
        assertTrue(deny.out().contains("ok    signature: signature not checked"), deny.out());

        Cli.Result json = Cli.run("policy", "check", layout.toString(), "--policy", policy.toString(), "-o", "json");
        assertEquals(3, json.exit());
        JsonNode doc = Json.mapper().readTree(json.out());
        assertEquals("deny", doc.path("decision").asText());
        assertEquals(3, doc.path("findings").size(), doc.toString());
        assertTrue(doc.path("permissions").toString().contains("writes-process-memory"));

        Files.writeString(policy, "allow-unsigned: yes\n");
        Cli.Result allow = Cli.run("policy", "check", layout.toString(), "--policy", policy.toString());
        assertEquals(0, allow.exit(), allow.out() + allow.err());
        assertTrue(allow.out().startsWith("allow "), allow.out());

        Files.writeString(policy, "allow-unsigned: yes\ndeny-permissions:\n  - writes-process-memory\n  - telepathy\n");
        Cli.Result bad = Cli.run("policy", "check", layout.toString(), "--policy", policy.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.err().startsWith("bpfstore policy check: policy " + policy + ":4:5: deny-permissions[1]: "
                + "\"telepathy\" is not a permission"), bad.err());
    }

    @Test
    void policyCheckVerifiesSignaturesAgainstThePolicysSigners() throws Exception {
        assertEquals(0, Cli.run("keygen", "--out", dir.resolve("keys").toString()).exit());
        assertEquals(0, Cli.run("keygen", "--out", dir.resolve("other").toString()).exit());
        Path layout = dir.resolve("layout");
        assertEquals(0, Cli.run("package", ExampleObjects.dir().resolve("xdp_counter.o").toString(), "--namespace",
                "pol", "--out", layout.toString()).exit());
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url(), "--sign",
                dir.resolve("keys/signing.key").toString());
        assertEquals(0, push.exit(), push.err());
        assertTrue(push.out().indexOf("signed sha256:") < push.out().indexOf("pushed "), "signs, then pushes");

        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "signers:\n  pol: [keys/signing.pub]\n");
        Cli.Result ok = Cli.run("policy", "check", "pol/xdp-counter@0.1.0", "--registry", REGISTRY.url(),
                "--policy", policy.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("ok    signature: signed by trusted key sha256:"), ok.out());

        Files.writeString(policy, "signers:\n  pol: [other/signing.pub]\n");
        Cli.Result untrusted = Cli.run("policy", "check", "pol/xdp-counter@0.1.0", "--registry", REGISTRY.url(),
                "--policy", policy.toString());
        assertEquals(3, untrusted.exit(), untrusted.out());
        assertTrue(untrusted.out().contains("deny  signature: ") && untrusted.out().contains("signed by an untrusted "
                + "key"), untrusted.out());
    }

    @Test
    void publisherKeysAndTheSignatureRequirement() throws Exception {
        String data = dir.resolve("data").toString();
        assertEquals(0, Cli.run("publisher", "create", "acme-corp", "--namespace", "acme", "--data", data).exit());
        Cli.Result noKey = Cli.run("publisher", "require-signatures", "acme", "--data", data);
        assertEquals(1, noKey.exit());
        assertTrue(noKey.err().contains("publisher acme-corp has no signing key: register one first"), noKey.err());
        Files.writeString(dir.resolve("junk.pub"), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        Cli.Result junk = Cli.run("publisher", "add-key", "acme-corp", dir.resolve("junk.pub").toString(), "--data",
                data);
        assertEquals(1, junk.exit());
        assertTrue(junk.err().startsWith("bpfstore publisher add-key: signing key: "), junk.err());
        assertEquals(1, Cli.run("publisher", "require-signatures", "acme", "--data", data).exit(),
                "the malformed key was not registered");
        Cli.Result keygen = Cli.run("keygen", "--out", dir.resolve("keys").toString());
        String fingerprint = keygen.out().substring(keygen.out().indexOf("public key ") + 11).strip();
        Cli.Result add = Cli.run("publisher", "add-key", "acme-corp", dir.resolve("keys/signing.pub").toString(),
                "--data", data);
        assertEquals(0, add.exit(), add.err());
        assertTrue(add.out().contains("registered key " + fingerprint + " for publisher acme-corp"), add.out());
        Cli.Result require = Cli.run("publisher", "require-signatures", "acme", "--data", data);
        assertEquals(0, require.exit(), require.err());
        assertEquals(0, Cli.run("publisher", "require-signatures", "acme", "--off", "--data", data).exit());
    }

    @Test
    void keygenEncryptsWithAPasswordFromStdinAndSigningWithoutOneIsRefused() throws Exception {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8)));
            Cli.Result r = Cli.run("keygen", "--out", dir.resolve("keys").toString(), "--password-stdin");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("private, encrypted"), r.out());
        } finally {
            System.setIn(stdin);
        }
        Path key = dir.resolve("keys/signing.key");
        assertTrue(Files.readString(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertEquals(ExternalTool.output("openssl", "pkey", "-in", key.toString(), "-passin", "pass:correct horse", "-pubout"),
                Files.readString(dir.resolve("keys/signing.pub")));
        Path layout = dir.resolve("layout");
        assertEquals(0, Cli.run("package", ExampleObjects.dir().resolve("xdp_counter.o").toString(), "--namespace",
                "enc", "--out", layout.toString()).exit());
        // tests run without a terminal and without BPFSTORE_KEY_PASSWORD: refused before anything is pushed
        Cli.Result push = Cli.run("push", layout.toString(), "--registry", REGISTRY.url(), "--sign", key.toString());
        assertEquals(1, push.exit());
        assertTrue(push.err().contains("bad key: " + key + ": the key is encrypted and no password was given (set "
                + "BPFSTORE_KEY_PASSWORD"), push.err());
        assertEquals(1, Cli.run("verify", "enc/xdp-counter@0.1.0", "--registry", REGISTRY.url(), "--key",
                dir.resolve("keys/signing.pub").toString()).exit(), "nothing was pushed");
    }
}
