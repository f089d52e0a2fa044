package io.bpfstore.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Build step only: the run the agent shortcut's AOT cache is trained on (cli/src/build/TrainAgentShortcut.java
 * serves a stand-in agent on {@code BPFSTORE_AGENT_SOCKET}). One JVM run trains one cache, so this runs each
 * command {@link AgentShortcut} takes, in text and JSON, and fails when one of them did not go through it.
 */
final class ShortcutTraining {
    private ShortcutTraining() {
    }

    public static void main(String[] args) {
        PrintWriter discard = new PrintWriter(Writer.nullWriter(), true);
        Map<String, String> env = System.getenv();
        for (List<String> command : List.of(
                List.of("list"), List.of("list", "-o", "json"),
                List.of("install", "/tmp/layout", "--iface", "veth1", "--netns", "blue", "--policy", "policy.yaml"),
                List.of("install", "/tmp/layout", "--iface=veth1", "--output", "json", "--set", "x=1", "--priority", "10"),
                List.of("upgrade", "xdp-counter", "--from", "/tmp/layout"), List.of("upgrade", "xdp-counter", "-o", "json"),
                List.of("uninstall", "xdp-counter"), List.of("uninstall", "xdp-counter", "-o", "json"))) {
            if (AgentShortcut.run(command.toArray(String[]::new), env, discard, discard).orElse(-1) != 0) {
                throw new IllegalStateException("training: " + command + " did not run through the agent shortcut");
            }
        }
    }
}
