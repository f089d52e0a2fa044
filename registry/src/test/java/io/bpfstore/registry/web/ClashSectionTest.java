package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.Finding;
import io.bpfstore.analysis.clash.FindingClass;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.analysis.clash.Severity;
import io.bpfstore.bytecode.object.BpfObject;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package page's "Clashes" card, over HTTP against a registry holding XDP packages pushed by the real client:
 * it must list exactly what {@link ClashDetector} finds for the same objects (the oracle, run in the test on the
 * objects that were pushed), name the other package and the install order, leave unrelated packages out, and follow
 * the catalog when a package is published later.
 */
class ClashSectionTest {
    @TempDir
    static Path dir;
    static RegistryServer server;
    static String token;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** An XDP program that gives {@code verdict} to {@code proto} traffic to {@code port}, and passes the rest. */
    static String xdp(String name, String proto, String header, int port, String verdict) {
        return """
                #include <linux/bpf.h>
                #include <linux/if_ether.h>
                #include <linux/ip.h>
                #include <linux/in.h>
                #include <linux/tcp.h>
                #include <linux/udp.h>
                #include <bpf/bpf_helpers.h>
                #include <bpf/bpf_endian.h>
                char LICENSE[] SEC("license") = "GPL";

                SEC("xdp")
                int NAME(struct xdp_md *ctx)
                {
                	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                	struct ethhdr *eth = data;
                	struct iphdr *ip = data + sizeof(*eth);
                	struct HEADER *l4 = (void *)(ip + 1);
                	if ((void *)(l4 + 1) > end)
                		return XDP_PASS;
                	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != PROTO)
                		return XDP_PASS;
                	return l4->dest == bpf_htons(PORT) ? VERDICT : XDP_PASS;
                }
                """.replace("NAME", name).replace("HEADER", header).replace("PROTO", proto)
                .replace("PORT", Integer.toString(port)).replace("VERDICT", verdict);
    }

    @BeforeAll
    static void start() throws Exception {
        Path data = dir.resolve("data");
        try (MetadataStore meta = DataDirectory.openMetadata(data)) {
            token = new Publishers(meta.accounts()).create("acme-corp", List.of("acme")).token();
        }
        server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data));
        push("ssh-drop", xdp("ssh_drop", "IPPROTO_TCP", "tcphdr", 22, "XDP_DROP"));
        push("ssh-tx", xdp("ssh_tx", "IPPROTO_TCP", "tcphdr", 22, "XDP_TX"));
        push("dns-tx", xdp("dns_tx", "IPPROTO_UDP", "udphdr", 53, "XDP_TX"));
    }

    @AfterAll
    static void stop() {
        HTTP.close();
        if (server != null) {
            server.close();
        }
    }

    private static void push(String name, String source) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        String base = name.replace('-', '_');
        Files.writeString(src.resolve(base + ".c"), source);
        Path manifest = src.resolve(name + ".yaml");
        Files.writeString(manifest, "name: " + name + "\nnamespace: acme\nversion: 1.0.0\nlicense: GPL-2.0-only\n"
                + "object: " + base + ".o\n"
                + "permissions: [inspects-interface-packets, inspects-interface-traffic, drops-packets, "
                + "transmits-packets, redirects-packets, rewrites-packets]\n");
        // Compiled here, so that the oracle analyses the very object that is pushed.
        Path object = src.resolve(base + ".o");
        Process clang = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu",
                "-c", src.resolve(base + ".c").toString(), "-o", object.toString()).redirectErrorStream(true).start();
        String log = new String(clang.getInputStream().readAllBytes());
        assertEquals(0, clang.waitFor(), "clang failed: " + log);
        Image image = PackageBuilder.build(Optional.of(object), Optional.of(manifest), List.of());
        new RegistryClient(URI.create("http://127.0.0.1:" + server.port()),
                Optional.of(new Credentials("acme-corp", token))).push(image, "acme/" + name, "1.0.0",
                PushOptions.DEFAULT);
    }

    private static BpfObject object(String name) throws Exception {
        return BpfObject.read(dir.resolve("src").resolve(name.replace('-', '_') + ".o"));
    }

    /** The Clashes card with folded texts unfolded (head, a space, the rest), as the reader who opens them sees it. */
    private static String page(String name) throws Exception {
        return rawCard(name).replaceAll("<details class=\"fold (\\w+)\"><summary>(.*?)</summary><p>(.*?)</p></details>",
                "<p class=\"$1\">$2 $3</p>");
    }

    private static String rawCard(String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/packages/acme/" + name)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        int start = r.body().indexOf("<section class=\"card\" id=\"clashes\">");
        assertTrue(start >= 0, "no Clashes card: " + r.body());
        return r.body().substring(start, r.body().indexOf("</section>", start));
    }

    /** What the page must say for a finding: its message, HTML-escaped as Markup escapes text. */
    private static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    @Test
    void listsWhatTheDetectorFindsWithTheOtherPackage() throws Exception {
        CheckedPackage drop = new CheckedPackage("acme/ssh-drop", object("ssh-drop"));
        CheckedPackage tx = new CheckedPackage("acme/ssh-tx", object("ssh-tx"));
        Finding txFirst = ClashDetector.check(List.of(tx, drop), HostView.none())
                .of(FindingClass.SEMANTIC_OVERLAP).getFirst();
        Finding dropFirst = ClashDetector.check(List.of(drop, tx), HostView.none())
                .of(FindingClass.SEMANTIC_OVERLAP).getFirst();
        assertEquals(Severity.ERROR, txFirst.severity(), "the oracle: a reflector in front of a firewall");
        assertEquals(Severity.WARNING, dropFirst.severity());

        String folded = rawCard("ssh-drop");
        for (Finding f : List.of(txFirst, dropFirst)) {
            // a long reasoning is folded to its head, the rest behind <details>; a short one is a paragraph
            assertEquals(f.message().length() > Fold.SHORT, folded.contains("<details class=\"fold reason\"><summary>"
                    + escaped(f.message().substring(0, Math.max(0, Fold.cut(f.message()))).strip()) + "</summary>"),
                    folded);
        }
        String card = page("ssh-drop");
        assertTrue(card.contains(escaped(txFirst.message())), card);
        assertTrue(card.contains(escaped(dropFirst.message())), card);
        assertTrue(card.contains("href=\"/packages/acme/ssh-tx/1.0.0\""), card);
        assertTrue(card.contains("(other first)") && card.contains("(this first)"), card);
        assertTrue(card.indexOf("severity error") < card.indexOf("severity warning"), "errors first: " + card);
        assertFalse(card.contains("dns-tx"), "UDP 53 and TCP 22 do not meet: " + card);
        assertFalse(card.contains("exclusive-hook"), "every XDP pair shares the hook through a dispatcher: " + card);
        assertTrue(card.matches("(?s).*latest version of \\d+ catalog packages.*"), card);
        // Rendering again answers from the cache with the same content.
        assertEquals(card, page("ssh-drop"));
    }

    @Test
    void aPackagePublishedLaterShowsUpOnThePage() throws Exception {
        assertFalse(page("dns-tx").contains("dns-drop"));
        push("dns-drop", xdp("dns_drop", "IPPROTO_UDP", "udphdr", 53, "XDP_DROP"));
        String card = page("dns-tx");
        assertTrue(card.contains("href=\"/packages/acme/dns-drop/1.0.0\""), card);
        assertTrue(card.contains("semantic-overlap"), card);
    }
}
