package io.bpfstore.agent.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.agent.event.EventLog;
import io.bpfstore.agent.follow.FollowRules;
import io.bpfstore.agent.local.LocalInstallations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The API server: Jetty with one unix-domain connector on {@code socket} (mode 0666, so every local user can
 * read; changes are checked per request by the caller's peer credentials).
 */
public final class AgentServer implements AutoCloseable {
    /** Most threads serving requests (event followers each hold one). */
    static final int MAX_THREADS = 96;

    private final Server server;
    private final Path socket;

    private AgentServer(Server server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    /**
     * Starts serving on {@code socket} (a stale socket file of an earlier run is replaced).
     *
     * @throws UncheckedIOException if the socket cannot be created
     */
    public static AgentServer start(Path socket, LocalInstallations installations, EventLog events, FollowRules follow,
                                    Supplier<JsonNode> inventory, Optional<String> adminGroup) {
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("prepare socket " + socket + ": " + e.getMessage(), e);
        }
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("agent-api");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(8192);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
        connector.setUnixDomainPath(socket);
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        server.setHandler(new ApiHandler(installations, events, follow, inventory, adminGroup));
        server.setStopTimeout(2000);
        try {
            server.start();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing to start
            }
            throw new UncheckedIOException("serve on " + socket + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        return new AgentServer(server, socket);
    }

    /** The socket served. */
    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping on the way out: nothing else to do
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // a stale socket file is replaced by the next start
        }
    }
}
