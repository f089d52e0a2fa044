import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Build step: trains the AOT caches of the CLI's agent shortcut ({@code io.bpfstore.cli.AgentShortcut}, which the
 * launcher runs for list, install, upgrade and uninstall while an agent answers), one per command: a cache loads
 * every class it holds at start-up, so list's start does not pay for install's classes. A real agent needs root, a
 * bpffs and the kernel; the client side needs only the agent's answers, so this serves fixed ones in the API's shape
 * (docs/agent-api.yaml) on a unix socket in a temporary directory, and runs {@code io.bpfstore.cli.ShortcutTraining
 * COMMAND} against it in a JVM that writes {@code DIR/bpfstore-agent-COMMAND.aot}, for each command. The stand-in
 * runs in this JVM, so none of its classes enter the caches.
 *
 * <p>Usage: {@code java TrainAgentShortcut.java JAR DIR}
 */
public final class TrainAgentShortcut {
    private static final String INSTALLATION = """
            {"name":"xdp-counter","repository":"examples/xdp-counter","version":"1.0.0","digest":"sha256:0f","source":\
            "/tmp/layout","hook":"XDP","target":"xdp on veth1 (netns blue)","iface":"veth1","netns":"blue",\
            "programs":["xdp_count"],"priority":50,"proceed_on":["pass","dispatcher_return"],"forced":false,\
            "generation":1,"installed_at":"2026-12-08T00:00:00Z"}""";

    /** The commands the shortcut takes, each trained into a cache of its own (the launcher picks it by name). */
    private static final List<String> COMMANDS = List.of("list", "install", "upgrade", "uninstall");

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java TrainAgentShortcut.java JAR DIR");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("bst-train-shortcut");
        Path socket = dir.resolve("agent.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread serving = Thread.ofPlatform().daemon().start(() -> serve(server));
        try {
            for (String command : COMMANDS) {
                Path cache = Path.of(args[1], "bpfstore-agent-" + command + ".aot");
                ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-XX:AOTCacheOutput=" + cache, "--enable-native-access=ALL-UNNAMED", "-cp", args[0],
                        "io.bpfstore.cli.ShortcutTraining", command)).inheritIO();
                pb.environment().put("BPFSTORE_AGENT_SOCKET", socket.toString());
                int exit = pb.start().waitFor();
                if (exit != 0) {
                    System.err.println("TrainAgentShortcut: the training run of " + command + " exited with " + exit);
                    System.exit(1);
                }
            }
        } finally {
            server.close();
            serving.join(5_000);
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept(); InputStream in = Channels.newInputStream(ch)) {
                String request = head(in);
                String[] line = request.split(" ", 3);
                long length = request.lines().filter(h -> h.toLowerCase().startsWith("content-length:"))
                        .mapToLong(h -> Long.parseLong(h.substring(h.indexOf(':') + 1).strip())).findFirst().orElse(0);
                in.readNBytes((int) length);
                byte[] body = answer(line[0], line[1]).getBytes(StandardCharsets.UTF_8);
                byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                ch.write(ByteBuffer.wrap(head));
                ch.write(ByteBuffer.wrap(body));
            } catch (IOException closed) {
                // the server closed at the end of training, or a client went away
            }
        }
    }

    private static String answer(String method, String path) {
        if (path.equals("/v1/ping")) {
            return "{\"uid\":0,\"may_change\":true}";
        }
        if (path.equals("/v1/installations")) {
            return method.equals("GET") ? "{\"installations\":[" + INSTALLATION + "]}"
                    : "{\"installation\":" + INSTALLATION + ",\"warnings\":[\"a warning\"],\"order\":[\"xdp-counter\"]}";
        }
        if (path.endsWith("/upgrade")) {
            return "{\"installation\":" + INSTALLATION + ",\"previous_version\":\"0.9.0\",\"order\":[\"xdp-counter\"]}";
        }
        return "{}";
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0; c = in.read()) {
            b.write(c);
            String s = b.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        throw new IOException("request ended early");
    }
}
