package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.testsupport.DockerRegistryProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing from a registry: packages pushed to a real docker-registry on 127.0.0.1, installed by reference
 * (digests verified by the pull; the manifest digest recorded is the one skopeo-compatible {@code push} reported),
 * upgraded to the registry's latest version, and refused without a trusted key unless {@code --allow-unsigned}.
 */
class InstallRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

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

            Cli.Result unsigned = h.run("install", "examples/xdp-counter@1.0.0", "--registry", registry.url(),
                    "--iface", h.ifB, "--netns", h.nsB);
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
}
