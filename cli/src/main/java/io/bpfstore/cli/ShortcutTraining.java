package io.bpfstore.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Build step only: the run an agent shortcut's AOT cache is trained on (cli/src/build/TrainAgentShortcut.java
 * serves a stand-in agent on {@code BPFSTORE_AGENT_SOCKET}). An AOT cache loads every class it holds when the JVM
 * starts, so each command gets a cache of its own: this runs the commands named by its arguments ({@code list},
 * {@code install}, {@code upgrade}, {@code uninstall}) in their forms, text and JSON, and fails when one of them did
 * not go through the shortcut.
 */
final class ShortcutTraining {
    /** Each command's training runs. */
    static final Map<String, List<List<String>>> RUNS = Map.of(
            "list", List.of(List.of("list"), List.of("list", "-o", "json")),
            "install", List.of(
                    List.of("install", "/tmp/layout", "--iface", "veth1", "--netns", "blue", "--policy", "policy.yaml"),
                    List.of("install", "/tmp/layout", "--iface=veth1", "--output", "json", "--set", "x=1", "--priority", "10")),
            "upgrade", List.of(List.of("upgrade", "xdp-counter", "--from", "/tmp/layout"),
                    List.of("upgrade", "xdp-counter", "-o", "json")),
            "uninstall", List.of(List.of("uninstall", "xdp-counter"), List.of("uninstall", "xdp-counter", "-o", "json")));

    private ShortcutTraining() {
    }

    /** Runs the training runs of the commands {@code args} names. */
    public static void main(String[] args) {
        PrintWriter discard = new PrintWriter(Writer.nullWriter(), true);
        Map<String, String> env = System.getenv();
        for (String name : args) {
            List<List<String>> runs = RUNS.get(name);
            if (runs == null) {
                throw new IllegalArgumentException("training: " + name + " is none of " + RUNS.keySet());
            }
            for (List<String> command : runs) {
                if (AgentShortcut.run(command.toArray(String[]::new), env, discard, discard).orElse(-1) != 0) {
                    throw new IllegalStateException("training: " + command + " did not run through the agent shortcut");
                }
            }
        }
    }
}
