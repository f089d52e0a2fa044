package io.bpfstore.registry;

import io.bpfstore.registry.server.RegistryConfig;
import io.bpfstore.registry.server.RegistryServer;
import io.bpfstore.registry.server.RegistryStorage;
import io.bpfstore.registry.storage.postgres.PostgresAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A registry instance in a process of its own (the scaled set-up), so that a test can kill it with SIGKILL.
 * {@link #main} serves until killed and prints {@code port N} once listening.
 */
final class RegistryProcess implements AutoCloseable {
    final Process process;
    final int port;

    private RegistryProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts an instance on the database and blob directory; the password travels as PGPASSWORD. */
    static RegistryProcess start(String databaseUrl, String password, Path blobs) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), RegistryProcess.class.getName(), databaseUrl,
                blobs.toString()));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("PGPASSWORD", password);
        Process p = b.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("port ")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the process died
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new RegistryProcess(p, Integer.parseInt(line.substring(5).strip()));
            }
            seen.append(line).append('\n');
        }
        p.destroyForcibly();
        throw new AssertionError("registry process exited before listening:\n" + seen);
    }

    /** SIGKILL: no shutdown hook, no close, sockets dropped by the kernel. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    public static void main(String[] args) throws Exception {
        RegistryStorage storage = new RegistryStorage.Scaled(PostgresAddress.parse(args[0]),
                RegistryStorage.Scaled.passwordFromEnvironment(), Path.of(args[1]));
        RegistryServer server = RegistryServer.start(RegistryConfig.of("127.0.0.1", 0, storage));
        System.out.println("port " + server.port());
        System.out.flush();
        server.join();
    }
}
