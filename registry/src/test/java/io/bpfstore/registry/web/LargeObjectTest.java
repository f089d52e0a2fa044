package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.auth.Publishers;
import io.bpfstore.registry.server.DataDirectory;
import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.storage.MetadataStore;
import io.bpfstore.store.build.PackageBuilder;
import io.bpfstore.store.client.Credentials;
import io.bpfstore.store.client.PushOptions;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.image.Image;
import io.bpfstore.testsupport.ExampleObjects;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 1: a publisher pushes a large valid object (300,000 instructions, a few MB); anonymous viewers
 * then request its package page in parallel. Pulls and the OCI API must keep answering as usual meanwhile (the
 * analysis runs once, in the background, within a budget), the page must say the object was too large to analyse,
 * and the server's heap must not grow by the gigabytes the unbounded analysis used to take.
 */
class LargeObjectTest {
    /** Far above the time a pull takes on a loaded CI machine, far below the minutes the old page took. */
    private static final Duration USUAL = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** An XDP object of {@code instructions} "r0 = n" instructions and an exit, assembled by llvm-mc. */
    static Path assemble(Path dir, int instructions) throws Exception {
        StringBuilder s = new StringBuilder("\t.section xdp,\"ax\",@progbits\n\t.globl big\n\t.type big,@function\n"
                + "big:\n");
        for (int i = 0; i < instructions; i++) {
            s.append("\tr0 = ").append(i & 1023).append('\n');
        }
        s.append("\tr0 = 2\n\texit\n.Lend:\n\t.size big, .Lend-big\n\t.section license,\"aw\",@progbits\n"
                + "\t.globl LICENSE\nLICENSE:\n\t.asciz \"GPL\"\n\t.size LICENSE, 4\n");
        Path source = Files.writeString(dir.resolve("big.s"), s);
        Path object = dir.resolve("big.o");
        Process p = new ProcessBuilder("llvm-mc-19", "-triple", "bpfel", "-filetype=obj", source.toString(), "-o",
                object.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "llvm-mc-19: " + log);
        return object;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void pagesOfALargeObjectNeverHoldUpPullsOrTheOciApi() throws Exception {
        Path data = dir.resolve("data");
        String token;
        try (MetadataStore meta = DataDirectory.openMetadata(data)) {
            token = new Publishers(meta.accounts()).create("acme-corp", List.of("acme")).token();
        }
        try (RegistryServer server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data));
             HttpClient http = HttpClient.newHttpClient();
             ExecutorService viewers = Executors.newFixedThreadPool(8)) {
            RegistryClient client = new RegistryClient(server.uri(), Optional.of(new Credentials("acme-corp", token)));
            Image big = PackageBuilder.build(Optional.of(assemble(dir, 300_000)), Optional.empty(), List.of(),
                    Optional.of("acme"));
            client.push(big, "acme/big", "0.1.0", PushOptions.DEFAULT);
            Image small = PackageBuilder.build(Optional.of(ExampleObjects.resolve("xdp_counter.o")), Optional.empty(),
                    List.of(), Optional.of("acme"));
            client.push(small, "acme/xdp-counter", "0.1.0", PushOptions.DEFAULT);
            long heapBefore = usedHeapAfterGc();

            List<Future<HttpResponse<String>>> pages = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                pages.add(viewers.submit(() -> http.send(HttpRequest.newBuilder(
                        URI.create(server.uri() + "/packages/acme/big")).build(), HttpResponse.BodyHandlers.ofString())));
            }
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                client.pull("acme/xdp-counter", "0.1.0", "0.1.0", dir.resolve("pull-" + i));
                assertFaster(start, "pull " + i);
                start = System.nanoTime();
                assertEquals(List.of("0.1.0"), client.tags("acme/big"));
                client.manifest("acme/big", "0.1.0");
                assertFaster(start, "tags and manifest " + i);
            }
            for (Future<HttpResponse<String>> page : pages) {
                HttpResponse<String> r = page.get(2, TimeUnit.MINUTES);
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("not analysed: too large") || r.body().contains("Being analysed"),
                        r.body());
            }
            HttpResponse<String> settled = http.send(HttpRequest.newBuilder(
                    URI.create(server.uri() + "/packages/acme/big")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(settled.body().contains("not analysed: too large (300002 instructions"), settled.body());
            long grown = usedHeapAfterGc() - heapBefore;
            assertTrue(grown < 256L << 20, "heap grew by " + (grown >> 20) + " MiB");
        }
    }

    private static void assertFaster(long startNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(USUAL) < 0, what + " took " + took.toMillis() + " ms while pages were requested");
    }
}
