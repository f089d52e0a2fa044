package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.config.ConfigException;
import io.bpfstore.store.config.RegistryAddress;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.image.SemVer;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.PackageReference;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry addresses, config precedence, the credentials file, package references and semver order. */
class ConfigAndReferenceTest {
    @TempDir
    Path dir;

    @Test
    void registryAddresses() {
        assertEquals(URI.create("http://127.0.0.1:5000"), RegistryAddress.parse("127.0.0.1:5000"));
        assertEquals(URI.create("http://localhost:5000"), RegistryAddress.parse("localhost:5000"));
        assertEquals(URI.create("https://store.example"), RegistryAddress.parse("store.example"));
        assertEquals(URI.create("https://store.example:8443"), RegistryAddress.parse("https://store.example:8443/"));
        for (String bad : List.of("", "ftp://x", "http://x/path", "http://x?q=1", "http://")) {
            assertThrows(ConfigException.class, () -> RegistryAddress.parse(bad), bad);
        }
    }

    @Test
    void flagThenEnvironmentThenFile() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "registry: http://127.0.0.1:3\n");
        StoreConfig config = StoreConfig.locate(Map.of(StoreConfig.CONFIG_ENV, file.toString()));
        assertEquals(file, config.file());
        Map<String, String> env = Map.of(StoreConfig.REGISTRY_ENV, "http://127.0.0.1:2");
        assertEquals(URI.create("http://127.0.0.1:1"), config.registry(Optional.of("http://127.0.0.1:1"), env));
        assertEquals(URI.create("http://127.0.0.1:2"), config.registry(Optional.empty(), env));
        assertEquals(URI.create("http://127.0.0.1:3"), config.registry(Optional.empty(), Map.of()));
        StoreConfig empty = new StoreConfig(dir.resolve("none.yaml"));
        ConfigException e = assertThrows(ConfigException.class, () -> empty.registry(Optional.empty(), Map.of()));
        assertTrue(e.getMessage().contains("no registry given"), e.getMessage());
        Files.writeString(file, "registry: [not, a, string\n");
        assertThrows(ConfigException.class, () -> config.registry(Optional.empty(), Map.of()));
    }

    @Test
    void xdgConfigHome() {
        if (System.getProperty(StoreConfig.CONFIG_PROPERTY) == null) {
            assertEquals(dir.resolve("bpfstore/config.yaml"),
                    StoreConfig.locate(Map.of("XDG_CONFIG_HOME", dir.toString())).file());
        }
    }

    @Test
    void credentialsFileIsPrivateAndKeepsOtherRegistries() throws IOException {
        StoreConfig config = new StoreConfig(dir.resolve("cfg/config.yaml"));
        URI a = URI.create("http://127.0.0.1:1");
        URI b = URI.create("https://store.example");
        config.saveCredentials(a, new Credentials("alice", "t1"));
        config.saveCredentials(b, new Credentials("bob", "t2"));
        config.saveCredentials(a, new Credentials("alice", "t3"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.credentialsFile())));
        assertEquals(Optional.of(new Credentials("alice", "t3")), config.credentials(a));
        assertEquals(Optional.of(new Credentials("bob", "t2")), config.credentials(b));
        assertEquals(Optional.empty(), config.credentials(URI.create("http://127.0.0.1:9")));
        assertTrue(!new Credentials("x", "secret").toString().contains("secret"));
    }

    @Test
    void packageReferences() {
        assertEquals(new PackageReference("examples", "xdp-counter", Optional.empty(), Optional.empty()),
                PackageReference.parse("examples/xdp-counter"));
        assertEquals(Optional.of("1.2.0"), PackageReference.parse("examples/xdp-counter@1.2.0").version());
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        assertEquals(digest, PackageReference.parse("examples/x@" + digest).reference().orElseThrow());
        for (String bad : List.of("xdp-counter", "a/b/c", "A/b", "a/b@1.0", "a/b@sha256:xyz", "a/b@", "../x",
                "a/" + "b".repeat(65))) {
            assertThrows(IllegalArgumentException.class, () -> PackageReference.parse(bad), bad);
        }
    }
}
