package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.registry.auth.Publishers;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bpfstore check} on packages named by reference: pulled from bpfstore's own registry (started here on
 * loopback, packages pushed by the real client), checked exactly as the same object files are.
 */
class CheckRegistryPackagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static RegistryServer server;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("bpfstore.config", dir.resolve("config.yaml").toString());
        Path data = dir.resolve("data");
        String token;
        try (MetadataStore meta = DataDirectory.openMetadata(data)) {
            token = new Publishers(meta.accounts()).create("acme-corp", List.of("acme")).token();
        }
        server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data));
        for (String name : List.of("tc_flow_bytes", "tc_port_drop")) {
            Path src = Files.createDirectories(dir.resolve(name));
            Path object = Files.copy(Cli.objectsDir().resolve(name + ".o"), src.resolve(name + ".o"));
            Path manifest = src.resolve("bpfstore.yaml");
            Files.writeString(manifest, "name: " + name.replace('_', '-') + "\nnamespace: acme\nversion: 1.0.0\n"
                    + "license: GPL-2.0-only\nobject: " + name + ".o\n"
                    + "permissions: [inspects-interface-packets, inspects-interface-traffic, drops-packets, "
                    + "transmits-packets, redirects-packets, rewrites-packets]\n");
            Image image = PackageBuilder.build(Optional.of(object), Optional.of(manifest), List.of());
            new RegistryClient(url(), Optional.of(new Credentials("acme-corp", token)))
                    .push(image, "acme/" + name.replace('_', '-'), "1.0.0", PushOptions.DEFAULT);
        }
    }

    @AfterAll
    static void stop() {
        System.clearProperty("bpfstore.config");
        if (server != null) {
            server.close();
        }
    }

    private static URI url() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private static JsonNode stripNames(JsonNode report) {
        return report.get("findings");
    }

    @Test
    void registryPackagesAreCheckedLikeTheirObjectFiles() throws Exception {
        Cli.Result pulled = Cli.run("check", "--registry", url().toString(), "-o", "json", "acme/tc-flow-bytes",
                "acme/tc-port-drop@1.0.0");
        assertEquals(CheckCommand.CLASH, pulled.exit(), pulled.err() + pulled.out());
        JsonNode report = JSON.readTree(pulled.out());
        List<String> names = new ArrayList<>();
        report.get("packages").forEach(n -> names.add(n.asText()));
        assertEquals(List.of("acme/tc-flow-bytes@1.0.0", "acme/tc-port-drop@1.0.0"), names, "latest resolved");

        Cli.Result files = Cli.run("check", "-o", "json", Cli.objectsDir().resolve("tc_flow_bytes.o").toString(),
                Cli.objectsDir().resolve("tc_port_drop.o").toString());
        // Same findings, named after the packages instead of the files.
        String fromFiles = stripNames(JSON.readTree(files.out())).toString()
                .replace("tc_flow_bytes.o", "acme/tc-flow-bytes@1.0.0").replace("tc_port_drop.o",
                        "acme/tc-port-drop@1.0.0");
        assertEquals(fromFiles, stripNames(report).toString());
    }

    @Test
    void unknownPackagesAreOneLineErrors() {
        Cli.Result r = Cli.run("check", "--registry", url().toString(), "acme/no-such-package@1.0.0");
        assertEquals(io.bpfstore.bytecode.Reportable.ERROR, r.exit(), r.out());
        assertTrue(r.err().lines().count() == 1 && r.err().contains("acme/no-such-package"), r.err());
    }
}
