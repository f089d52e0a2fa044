package io.bpfstore.registry.web;

import io.bpfstore.registry.auth.Publishers;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.image.Image;
import io.bpfstore.store.manifest.ManifestParser;
import io.bpfstore.store.manifest.PackageManifest;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.client.RegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A registry on a free loopback port with two packages pushed by the real client: {@code acme/xdp-guard} (an
 * XDP program that counts and drops, versions 1.0.0 and 1.1.0 with 1.1.0 yanked, with a hostile description,
 * authors and homepage) and {@code acme/exec-watch} (a tracepoint that exports events through a ring buffer), and the refused push of {@code acme/broken-object} whose layer is not ELF.
 */
final class WebFixture implements AutoCloseable {
    static final String HOSTILE = "<script>alert(1)</script> drops \"bad\" & 'ugly' packets";

    static final String XDP = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            struct {
            \t__uint(type, BPF_MAP_TYPE_ARRAY);
            \t__uint(max_entries, 4);
            \t__type(key, __u32);
            \t__type(value, __u64);
            } drops SEC(".maps");

            SEC("xdp")
            int xdp_guard(struct xdp_md *ctx)
            {
            \tvoid *data = (void *)(long)ctx->data;
            \tvoid *end = (void *)(long)ctx->data_end;
            \t__u32 key = 0;
            \tif (data + 64 > end) {
            \t\t__u64 *n = bpf_map_lookup_elem(&drops, &key);
            \t\tif (n)
            \t\t\t__sync_fetch_and_add(n, 1);
            \t\treturn XDP_DROP;
            \t}
            \treturn XDP_PASS;
            }

            char LICENSE[] SEC("license") = "GPL";
            """;

    static final String TRACE = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            struct {
            \t__uint(type, BPF_MAP_TYPE_RINGBUF);
            \t__uint(max_entries, 4096);
            } events SEC(".maps");

            SEC("tracepoint/sched/sched_process_exec")
            int exec_watch(void *ctx)
            {
            \t__u64 *e = bpf_ringbuf_reserve(&events, sizeof(__u64), 0);
            \tif (!e)
            \t\treturn 0;
            \t*e = bpf_get_current_pid_tgid();
            \tbpf_ringbuf_submit(e, 0);
            \treturn 0;
            }

            char LICENSE[] SEC("license") = "GPL";
            """;

    final Path dir;
    final RegistryServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final String token;
    /** The compiled XDP object (for oracles). */
    final Path xdpObject;

    private WebFixture(Path dir, RegistryServer server, String token, Path xdpObject) {
        this.dir = dir;
        this.server = server;
        this.token = token;
        this.xdpObject = xdpObject;
    }

    /** Starts the registry in {@code dir} and pushes the packages. */
    static WebFixture start(Path dir) throws Exception {
        Path data = dir.resolve("data");
        String token;
        try (MetadataStore meta = DataDirectory.openMetadata(data)) {
            token = new Publishers(meta.accounts()).create("acme-corp", List.of("acme")).token();
        }
        RegistryServer server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data));
        try {
            Path src = Files.createDirectories(dir.resolve("src"));
            Files.writeString(src.resolve("xdp_guard.c"), XDP);
            Files.writeString(src.resolve("exec_watch.c"), TRACE);
            Path xdpObject = src.resolve("xdp_guard.o");
            compile(src.resolve("xdp_guard.c"), xdpObject);
            WebFixture f = new WebFixture(dir, server, token, xdpObject);
            String hostileYaml = "description: " + quote(HOSTILE) + "\nhomepage: \"https://example.org/guard?a=1&b=2\"\n"
                    + "authors: [\"Mallory <script>x</script>\"]\npermissions: [inspects-interface-packets, drops packets]\n";
            f.push(src.resolve("xdp_guard.c"), "xdp-guard", "1.0.0", hostileYaml);
            f.push(src.resolve("xdp_guard.c"), "xdp-guard", "1.1.0", hostileYaml);
            f.push(src.resolve("exec_watch.c"), "exec-watch", "0.3.0",
                    "description: Watches process execs and reports them\nhomepage: https://example.org/exec\n"
                            + "authors: [Ada]\npermissions: [observes-kernel-events, exports-data, reads-process-identity]\n");
            f.pushBroken(xdpObject);
            HttpResponse<String> yank = f.http.send(HttpRequest.newBuilder(f.uri(
                            "/api/v1/packages/acme/xdp-guard/1.1.0/yank")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (yank.statusCode() != 200) {
                throw new AssertionError("yank failed: " + yank.statusCode() + " " + yank.body());
            }
            return f;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** Builds {@code source} (C, compiled by the package builder) into acme/{@code name} and pushes it. */
    void push(Path source, String name, String version, String extraYaml) throws IOException {
        Path manifest = source.resolveSibling(name + "-" + version + ".yaml");
        Files.writeString(manifest, "name: " + name + "\nnamespace: acme\nversion: " + version
                + "\nlicense: GPL-2.0-only\nobject: " + source.getFileName().toString().replace(".c", ".o") + "\n"
                + extraYaml);
        Image image = PackageBuilder.build(Optional.of(source), Optional.of(manifest), List.of());
        new RegistryClient(base(), Optional.of(new Credentials("acme-corp", token)))
                .push(image, "acme/" + name, version, PushOptions.DEFAULT);
    }

    /** The registry's answer to {@link #pushBroken}: it analyses every package's layer at push. */
    RegistryException brokenRefusal;

    /** Pushes {@code acme/broken-object}: labels describing a real object, but a layer whose file is not ELF. */
    private void pushBroken(Path realObject) throws IOException {
        BpfObject object = BpfObject.read(realObject);
        PackageManifest manifest = ManifestParser.parse("name: broken-object\nnamespace: acme\nversion: 0.1.0\n"
                + "license: MIT\ndescription: Labels fine, object not\nobject: broken.o\n"
                + "permissions: [inspects-interface-packets, drops-packets]\n", dir);
        Image image = PackageBuilder.build(object, "this is not an ELF file".getBytes(StandardCharsets.UTF_8),
                "broken.o", manifest);
        try {
            new RegistryClient(base(), Optional.of(new Credentials("acme-corp", token)))
                    .push(image, "acme/broken-object", "0.1.0", PushOptions.DEFAULT);
        } catch (RegistryException e) {
            brokenRefusal = e;
        }
    }

    private static void compile(Path source, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu",
                "-c", source.toString(), "-o", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new AssertionError("clang failed: " + log);
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    URI uri(String path) {
        return URI.create(base() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        http.close();
        server.close();
    }
}
