package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.agent.Agent;
import io.bpfstore.agent.client.AgentClient;
import io.bpfstore.install.InstallLayout;
import io.bpfstore.agent.api.ApiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
        return cli(Main.class, jvmOptions, args);
    }

    /** Runs {@code bpfstore ARGS} through entry point {@code main} ({@link Main} or {@link AgentShortcut}). */
    Run cli(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
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

    /**
     * Starts the agent in a child JVM pausing at {@code step}, sends {@code request} (may be a no-op when the
     * agent's own work, such as a follow rule, reaches the step), and kills the agent with SIGKILL once it reports
     * the pause.
     */
    static void killAgentAt(InstallHost h, Path work, String step, Consumer<AgentClient> request) throws Exception {
        Path socket = work.resolve("killed-" + step + ".sock");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "agent", "--state-dir", h.state.toString(),
                "--bpffs", h.pins.toString(), "--socket", socket.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("BPFSTORE_PAUSE_AT", step);
        Process p = pb.start();
        Thread client = null;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            StringBuilder seen = new StringBuilder();
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                seen.append(line).append('\n');
                if (line.startsWith("bpfstore agent: serving on")) {
                    AgentClient c = new AgentClient(socket);
                    client = Thread.ofVirtual().start(() -> {
                        try {
                            request.accept(c);
                        } catch (ApiException killed) {
                            // the agent died under the request, as intended
                        }
                    });
                }
                if (line.equals("paused at " + step)) {
                    break;
                }
            }
            assertTrue(seen.toString().contains("paused at " + step), "the agent did not pause at " + step + ": " + seen);
        } finally {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
            if (client != null) {
                client.join(10_000);
            }
        }
    }

    /**
     * Waits up to 5 s for {@code h}'s interface to run no XDP program: the kernel frees a link whose last pin went
     * (an unmounted bpffs) from a work queue, a moment after the unmount returns.
     */
    static int awaitNoXdp(InstallHost h) throws Exception {
        int program = InstallCommandsTest.xdpProgramOn(h);
        for (int i = 0; i < 50 && program != 0; i++) {
            Thread.sleep(100);
            program = InstallCommandsTest.xdpProgramOn(h);
        }
        return program;
    }

    /** Waits up to 15 s for an event of {@code kind}. */
    static void awaitEvent(AgentHost a, String kind) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (a.agent.events().recent(Optional.empty()).stream().anyMatch(e -> e.kind().label().equals(kind))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + kind + " event within 15 s: " + a.agent.events().recent(Optional.empty()));
    }

    @Override
    public void close() {
        agent.close();
    }
}
