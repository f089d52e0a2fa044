package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.SubstitutedPackageException;
import io.bpfstore.store.image.Image;
import io.bpfstore.testsupport.DockerRegistryExtension;
import io.bpfstore.testsupport.ExampleObjects;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 3: a registry whose storage is tampered with (here docker-registry, which checks no package label)
 * serves an older version under a newer version's tag, or another package under this one's name. The client must
 * refuse both and write nothing, since the label inside the digest-covered config says what the content is.
 */
class SubstitutionTest {
    @RegisterExtension
    static final DockerRegistryExtension REGISTRY = new DockerRegistryExtension();

    @TempDir
    Path dir;

    private static Image xdpCounter() throws Exception {
        // the example's label says local/xdp-counter at 0.1.0
        return PackageBuilder.build(Optional.of(ExampleObjects.dir().resolve("xdp_counter.o")), Optional.empty(),
                List.of());
    }

    @Test
    void anOlderVersionUnderANewerTagIsRefused() throws Exception {
        RegistryClient client = new RegistryClient(URI.create(REGISTRY.url()), Optional.empty());
        Image old = xdpCounter();
        client.push(old, "examples/xdp-counter", "0.1.0", PushOptions.DEFAULT);
        client.push(old, "examples/xdp-counter", "9.9.9", PushOptions.DEFAULT); // the tampered tag
        Path out = dir.resolve("pulled");
        SubstitutedPackageException e = assertThrows(SubstitutedPackageException.class,
                () -> client.pull("examples/xdp-counter", "9.9.9", "9.9.9", out));
        assertTrue(e.getMessage().contains("served version 0.1.0 under tag 9.9.9"), e.getMessage());
        assertFalse(Files.exists(out), "nothing written");
        client.pull("examples/xdp-counter", "0.1.0", "0.1.0", out); // the honest tag still pulls
        assertTrue(Files.exists(out.resolve("index.json")));
    }

    @Test
    void anotherPackageUnderThisNameIsRefused() throws Exception {
        RegistryClient client = new RegistryClient(URI.create(REGISTRY.url()), Optional.empty());
        Image other = xdpCounter();
        String digest = client.push(other, "examples/firewall", "0.1.0", PushOptions.DEFAULT).digest().toString();
        Path out = dir.resolve("pulled");
        SubstitutedPackageException e = assertThrows(SubstitutedPackageException.class,
                () -> client.pull("examples/firewall", digest, null, out));
        assertTrue(e.getMessage().contains("served package local/xdp-counter"), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(List.of("0.1.0"), client.tags("examples/firewall"));
    }
}
