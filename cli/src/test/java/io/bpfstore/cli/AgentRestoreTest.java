package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.agent.event.AgentEvent;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.Trust;
import io.bpfstore.store.image.Digest;
import io.bpfstore.testsupport.DockerRegistryProcess;
import io.bpfstore.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Restore from the package cache after a simulated reboot (agent stopped, bpffs unmounted, links gone), with signed
 * packages from a real docker-registry: an untampered package comes back and counts real traffic; one whose cached
 * layer lost a byte, and one whose kept signature no longer verifies (a consistent, re-hashed signature manifest
 * with one byte of the signature changed, so only the signature check can catch it), stay out with the reason in
 * the events and in {@code doctor}.
 */
class AgentRestoreTest extends InstallHostTest {
    @Test
    void restoreReVerifiesTheCachedPackageAndKeepsTamperedOnesOut() throws Exception {
        Path counter = InstallHost.layout("xdp_counter", "1.0.0", work);
        Path counter11 = InstallHost.layout("xdp_counter", "1.1.0", work);
        Path firewall = InstallHost.layout("xdp_firewall", "1.0.0", work);
        Path keys = work.resolve("keys");
        assertEquals(0, Cli.run("keygen", "--out", keys.toString()).exit());
        Path registryDir = Files.createDirectories(work.resolve("registry"));
        try (DockerRegistryProcess registry = DockerRegistryProcess.start(registryDir);
             InstallHost h = InstallHost.create("c", work); AgentHost a = new AgentHost(h, work)) {
            for (Path layout : List.of(counter, counter11, firewall)) {
                Cli.Result pushed = Cli.run("push", layout.toString(), "--registry", registry.url(),
                        "--sign", keys.resolve("signing.key").toString());
                assertEquals(0, pushed.exit(), pushed.err());
            }
            Path strict = work.resolve("strict.yaml");
            Files.writeString(strict, "allow-unsigned: no\n");
            Trust trust = new Trust(Optional.of(registry.url()), List.of(keys.resolve("signing.pub").toString()), false,
                    Optional.of(strict.toString()));
            install(a, h, "examples/xdp-counter@1.0.0", "good", trust);
            install(a, h, "examples/xdp-counter@1.1.0", "badsig", trust);
            install(a, h, "examples/xdp-firewall@1.0.0", "badlayer", trust);
            Map<String, String> digests = new java.util.HashMap<>();
            a.client().list().forEach(i -> digests.put(i.name(), i.digest()));
            h.ping(2);
            a.stop();
            registry.close(); // restore needs no registry

            ExternalTool.output("umount", h.bpffs.toString());
            assertEquals(0, AgentHost.awaitNoXdp(h), "no XDP program left once the pins are gone");
            ExternalTool.output("mount", "-t", "bpf", "bpf", h.bpffs.toString());

            Path cache = h.state.resolve("packages");
            Path blobs = cache.resolve("blobs/sha256");
            // one byte of the firewall's layer
            JsonNode manifest = JSON.readTree(blobs.resolve(Digest.parse(digests.get("badlayer")).hex()).toFile());
            Path layer = blobs.resolve(Digest.parse(manifest.path("layers").get(0).path("digest").asText()).hex());
            byte[] bytes = Files.readAllBytes(layer);
            bytes[bytes.length / 2] ^= 1;
            Files.write(layer, bytes);
            // a signature that no longer verifies, in a signature manifest whose digests are all consistent
            Path sigRef = cache.resolve("signatures").resolve(Digest.parse(digests.get("badsig")).hex());
            Digest sigDigest = Digest.parse(Files.readString(sigRef).strip());
            ObjectNode sig = (ObjectNode) JSON.readTree(blobs.resolve(sigDigest.hex()).toFile());
            ObjectNode annotations = (ObjectNode) sig.path("layers").get(0).path("annotations");
            byte[] der = Base64.getDecoder().decode(annotations.path("dev.cosignproject.cosign/signature").asText());
            der[der.length - 3] ^= 1;
            annotations.put("dev.cosignproject.cosign/signature", Base64.getEncoder().encodeToString(der));
            byte[] forged = JSON.writeValueAsBytes(sig);
            Files.write(blobs.resolve(Digest.of(forged).hex()), forged);
            Files.writeString(sigRef, Digest.of(forged).toString());

            a.start();
            List<String> restored = a.agent.restored();
            assertTrue(restored.contains("restored good"), restored.toString());
            String layerLine = line(restored, "kept out badlayer");
            assertTrue(layerLine.contains("layer") && layerLine.contains("was changed"), layerLine);
            String sigLine = line(restored, "kept out badsig");
            assertTrue(sigLine.contains("signature"), sigLine);

            assertEquals(List.of("good"), a.client().list().stream().map(InstallationView::name).toList());
            assertNotEquals(0, InstallCommandsTest.xdpProgramOn(h), "the dispatcher runs again");
            h.ping(3);
            assertTrue(InstallCommandsTest.packets(h.pins.resolve("good/g1/maps/counters"), 1) >= 3, "good runs again");
            List<AgentEvent> refused = a.agent.events().recent(Optional.empty()).stream()
                    .filter(e -> e.kind().label().equals("restore_refused")).toList();
            assertEquals(2, refused.size(), refused.toString());
            String doctor = a.cli(List.of(), "doctor").out();
            assertTrue(doctor.contains("badlayer") && doctor.contains("badsig"), "doctor names what restore kept out: " + doctor);
            a.client().uninstall("good");
            assertEquals(List.of(), h.pinFiles());
        }
    }

    private static void install(AgentHost a, InstallHost h, String reference, String name, Trust trust) {
        a.client().install(new InstallRequest(reference, Target.iface(h.ifB, Optional.of(h.nsB)), Optional.empty(),
                Optional.of(name), Optional.empty(), Optional.empty(), false, false, trust, Map.of()));
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no \"" + prefix + "\" in " + lines));
    }
}
