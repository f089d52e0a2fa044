package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.testsupport.BpfClang;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Limits apply early (issue 16): a package over a registry's size limit is refused by {@code package} (the
 * registry's default limit, or {@code --max-blob-size}) and by {@code push} before the upload — the registry states
 * its limits on its {@code /v2/} answer. Bytes the registry received are counted by a TCP relay in front of it.
 */
class EarlyLimitsTest extends IsolatedConfigTest {
    /** The object's .rodata: random, so the gzip layer stays about this large. */
    private static final int DATA = 256 << 10;

    @Test
    void anOversizedPackageIsRefusedByPackageAndByPushBeforeItsBytesAreSent() throws Exception {
        Path object = bigObject();
        assertEquals(RegistryConfig.DEFAULT_MAX_BLOB, ServeCommand.parseSize("--max-blob-size", "512M"),
                "package's default limit is the registry's");
        Path refused = dir.resolve("refused");
        Cli.Result small = Cli.run("package", object.toString(), "--namespace", "big", "--out", refused.toString(),
                "--max-blob-size", "64K");
        assertEquals(1, small.exit(), small.out());
        assertTrue(small.err().contains("over the 65536-byte limit a registry applies at push"), small.err());
        assertFalse(Files.exists(refused), "nothing written");
        Path layout = dir.resolve("layout");
        Cli.Result packaged = Cli.run("package", object.toString(), "--namespace", "big", "--out", layout.toString());
        assertEquals(0, packaged.exit(), packaged.err());

        Path data = dir.resolve("registry");
        String token = Cli.run("publisher", "create", "big", "--namespace", "big", "--data", data.toString()).out()
                .strip();
        try (RegistryServer server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, data)
                .withMaxBlobSize(64 << 10)); Relay relay = new Relay(server.port())) {
            String url = "http://127.0.0.1:" + relay.port();
            InputStream stdin = System.in;
            try {
                System.setIn(new ByteArrayInputStream((token + "\n").getBytes(StandardCharsets.UTF_8)));
                assertEquals(0, Cli.run("login", "--registry", url, "--username", "big", "--password-stdin").exit());
            } finally {
                System.setIn(stdin);
            }
            relay.received.set(0);
            Cli.Result push = Cli.run("push", layout.toString());
            assertEquals(1, push.exit(), push.out());
            assertTrue(push.err().contains("over the registry's limit of 65536 bytes; nothing was uploaded"),
                    push.err());
            long sent = relay.received.get();
            assertTrue(sent < 8 << 10, "the refusal came before the upload: the registry received " + sent
                    + " bytes, the layer is about " + DATA);
        }
    }

    /** An XDP object whose .rodata holds {@link #DATA} random bytes. */
    private Path bigObject() throws IOException {
        StringBuilder c = new StringBuilder("#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
                + "const volatile unsigned char blob[" + DATA + "] = {");
        Random random = new Random(16);
        for (int i = 0; i < DATA; i++) {
            c.append(random.nextInt(256)).append(i + 1 < DATA ? "," : "");
        }
        c.append("};\nSEC(\"xdp\") int big(struct xdp_md *ctx) {\n  return blob[ctx->rx_queue_index & "
                + (DATA - 1) + "] ? XDP_PASS : XDP_DROP;\n}\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
        Path source = dir.resolve("big.c");
        Files.writeString(source, c);
        return BpfClang.compile(source, dir.resolve("big.o"));
    }

    /** A loopback TCP relay to the registry that counts the bytes clients send through it. */
    private static final class Relay implements AutoCloseable {
        final AtomicLong received = new AtomicLong();
        private final ServerSocket listener;
        private final int target;

        Relay(int target) throws IOException {
            this.target = target;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                    Thread.ofVirtual().start(() -> copy(client, server, true));
                    Thread.ofVirtual().start(() -> copy(server, client, false));
                }
            } catch (IOException closed) {
                // the relay was closed
            }
        }

        private void copy(Socket from, Socket to, boolean count) {
            byte[] buf = new byte[16 << 10];
            try (from; to) {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (count) {
                        received.addAndGet(n);
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException closed) {
                // either side went away: both are closed
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
