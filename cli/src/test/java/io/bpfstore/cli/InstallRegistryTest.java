package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.DockerRegistryProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Installing from a registry: packages pushed to a real docker-registry on 127.0.0.1, installed by reference
 * (digests verified by the pull; the manifest digest recorded is the one skopeo-compatible {@code push} reported),
 * upgraded to the registry's latest version, and refused without a trusted key unless {@code --allow-unsigned}.
 */
class InstallRegistryTest extends InstallHostTest {
    @BeforeEach
    void isolateConfig() {
        System.setProperty("bpfstore.config", work.resolve("config/config.yaml").toString());
    }

    @AfterEach
    void restoreConfig() {
        System.clearProperty("bpfstore.config");
    }

    @Test
    void installsAndUpgradesFromARegistry() throws Exception {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path v2 = InstallHost.layout("xdp_counter", "1.1.0", work);
        Path registryDir = work.resolve("registry");
        java.nio.file.Files.createDirectories(registryDir);
        try (DockerRegistryProcess registry = DockerRegistryProcess.start(registryDir);
             InstallHost h = InstallHost.create("y", work)) {
            Cli.Result pushed = Cli.run("push", v1.toString(), "--registry", registry.url());
            assertEquals(0, pushed.exit(), pushed.err());
            String digest = pushed.out().lines().filter(l -> l.contains("sha256:")).findFirst().orElseThrow()
                    .replaceAll(".*(sha256:[0-9a-f]{64}).*", "$1");

            // This host's policy requires signatures (the default), unlike the test host's usual one.
            Path strict = work.resolve("strict.yaml");
            java.nio.file.Files.writeString(strict, "allow-unsigned: no\n");
            Cli.Result unsigned = h.run("install", "examples/xdp-counter@1.0.0", "--registry", registry.url(),
                    "--iface", h.ifB, "--netns", h.nsB, "--policy", strict.toString());
            assertEquals(1, unsigned.exit());
            assertTrue(unsigned.err().contains("no trusted keys") && unsigned.err().contains("--allow-unsigned"),
                    unsigned.err());
            assertEquals(0, InstallCommandsTest.xdpProgramOn(h));

            Cli.Result missing = h.run("install", "examples/nope@1.0.0", "--registry", registry.url(), "--allow-unsigned",
                    "--iface", h.ifB, "--netns", h.nsB);
            assertEquals(1, missing.exit());
            assertEquals(1, missing.err().strip().lines().count(), missing.err());

            h.ok("install", "examples/xdp-counter@1.0.0", "--registry", registry.url(), "--allow-unsigned",
                    "--iface", h.ifB, "--netns", h.nsB);
            JsonNode listed = JSON.readTree(h.ok("list", "-o", "json").out()).get(0);
            assertEquals(digest, listed.path("digest").asText(), "the recorded digest is the pushed manifest's");
            assertEquals("examples/xdp-counter@1.0.0", listed.path("source").asText());
            assertTrue(InstallCommandsTest.xdpProgramOn(h) > 0);

            assertEquals(0, Cli.run("push", v2.toString(), "--registry", registry.url()).exit());
            Cli.Result up = h.ok("upgrade", "xdp-counter", "--registry", registry.url(), "--allow-unsigned");
            assertEquals("upgraded xdp-counter from 1.0.0 to 1.1.0", up.out().strip());
            h.ok("uninstall", "xdp-counter");
            assertEquals(0, InstallCommandsTest.xdpProgramOn(h));
        }
    }

    /**
     * The host policy at install: a signed package with the signer's key installs and records its signer; a policy
     * that allows only other program types refuses it with the reason, and nothing is attached or recorded.
     */
    @Test
    void hostPolicyDecidesAtInstall() throws Exception {
        Path v1 = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path keys = work.resolve("keys");
        assertEquals(0, Cli.run("keygen", "--out", keys.toString()).exit());
        Path registryDir = work.resolve("registry");
        java.nio.file.Files.createDirectories(registryDir);
        try (DockerRegistryProcess registry = DockerRegistryProcess.start(registryDir);
             InstallHost h = InstallHost.create("z", work)) {
            Cli.Result pushed = Cli.run("push", v1.toString(), "--registry", registry.url(),
                    "--sign", keys.resolve("signing.key").toString());
            assertEquals(0, pushed.exit(), pushed.err());
            Path strict = work.resolve("strict.yaml");
            java.nio.file.Files.writeString(strict, "allow-unsigned: no\n");
            Path tracingOnly = work.resolve("tracing-only.yaml");
            java.nio.file.Files.writeString(tracingOnly, """
                    allow-unsigned: no
                    allow-program-types: [tracepoint, raw_tracepoint]
                    """);
            String pub = keys.resolve("signing.pub").toString();

            Cli.Result denied = h.run("install", "examples/xdp-counter@1.0.0", "--registry", registry.url(),
                    "--key", pub, "--iface", h.ifB, "--netns", h.nsB, "--policy", tracingOnly.toString());
            assertEquals(3, denied.exit(), "a policy denial is a finding: " + denied.err());
            assertTrue(denied.err().contains("program type xdp") && denied.err().contains("allow-program-types"),
                    denied.err());
            assertEquals(0, InstallCommandsTest.xdpProgramOn(h), "nothing attached");
            assertEquals(0, JSON.readTree(h.ok("list", "-o", "json").out()).size(), "nothing recorded");

            h.ok("install", "examples/xdp-counter@1.0.0", "--registry", registry.url(), "--key", pub,
                    "--iface", h.ifB, "--netns", h.nsB, "--policy", strict.toString());
            JsonNode listed = JSON.readTree(h.ok("list", "-o", "json").out()).get(0);
            assertTrue(listed.path("signed_by").asText().length() > 16, "the signer is recorded: " + listed);
            assertTrue(InstallCommandsTest.xdpProgramOn(h) > 0);
            h.ok("uninstall", "xdp-counter");
        }
    }
}
