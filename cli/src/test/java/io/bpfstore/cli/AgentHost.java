package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.agent.Agent;
import io.bpfstore.agent.client.AgentClient;
import io.bpfstore.install.InstallLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An agent on an {@link InstallHost}'s state directory and bpffs folder, serving on a socket in the test's work
 * directory; CLI runs in child JVMs that reach it through {@code BPFSTORE_AGENT_SOCKET}, as users' commands do.
 */
final class AgentHost implements AutoCloseable {
    final InstallHost host;
    final Path socket;
    Agent agent;

    AgentHost(InstallHost host, Path work) {
        this.host = host;
        this.socket = work.resolve("agent.sock");
        start();
    }

    /** (Re)starts the agent in this JVM. */
    void start() {
        agent = Agent.start(new Agent.Options(new InstallLayout(host.state, host.pins), socket, Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of()));
    }

    /** Stops the agent (installations stay). */
    void stop() {
        agent.close();
    }

    AgentClient client() {
        return new AgentClient(socket);
    }

    /** The result of a CLI run in a child JVM. */
    record Run(int exit, String out, String err) {
    }

    /** Runs {@code bpfstore ARGS} in a child JVM whose agent is this one; extra JVM options first. */
    Run cli(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.bpfstore.cli.Main"));
        command.addAll(List.of(args));
        return exec(command, Map.of(AgentClient.SOCKET_ENV, socket.toString()));
    }

    /** Runs {@code command} with {@code env} added; its exit status, stdout and stderr. */
    static Run exec(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path errFile = java.nio.file.Files.createTempFile("bst-agent-cli", ".err");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        byte[] errBytes = java.nio.file.Files.readAllBytes(errFile);
        java.nio.file.Files.delete(errFile);
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(errBytes, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        agent.close();
    }
}
