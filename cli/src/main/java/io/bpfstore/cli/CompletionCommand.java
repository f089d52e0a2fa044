package io.bpfstore.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore completion bash|zsh|fish}: a shell completion script for every command, subcommand and
 * option, written from the same model that parses them, so it cannot fall behind.
 */
@Command(name = "completion", description = "Print a shell completion script (bash, zsh or fish).",
        footer = {"", "bash:  source <(bpfstore completion bash)",
                "zsh:   source <(bpfstore completion zsh)",
                "fish:  bpfstore completion fish > ~/.config/fish/completions/bpfstore.fish"})
final class CompletionCommand implements Callable<Integer> {
    /** The shells a script can be written for. */
    enum Shell { bash, zsh, fish }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine all = Main.commandLine();
        PrintWriter out = spec.commandLine().getOut();
        switch (shell) {
            case bash -> out.print(AutoComplete.bash("bpfstore", all));
            // picocli's bash script runs in zsh through zsh's own bash-completion emulation
            case zsh -> out.print("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
                    + AutoComplete.bash("bpfstore", all));
            case fish -> fish(out, all);
        }
        out.flush();
        return 0;
    }

    /** fish's {@code complete} lines: subcommands where none is given yet, then each one's options. */
    private static void fish(PrintWriter out, CommandLine root) {
        out.println("# fish completion for bpfstore (bpfstore completion fish)");
        out.println("complete -c bpfstore -f");
        fishLevel(out, root, "");
    }

    private static void fishLevel(PrintWriter out, CommandLine cmd, String path) {
        String when = path.isEmpty() ? "__fish_use_subcommand" : "__fish_seen_subcommand_from " + path.strip();
        for (var e : cmd.getSubcommands().entrySet()) {
            String description = e.getValue().getCommandSpec().usageMessage().description().length == 0 ? ""
                    : e.getValue().getCommandSpec().usageMessage().description()[0];
            out.printf("complete -c bpfstore -n '%s' -a %s -d %s%n", when, e.getKey(), quote(description));
        }
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder line = new StringBuilder("complete -c bpfstore");
            if (!path.isEmpty()) {
                line.append(" -n '__fish_seen_subcommand_from ").append(path.strip()).append('\'');
            }
            for (String name : o.names()) {
                line.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
            }
            if (o.arity().max() > 0) {
                line.append(" -r");
            }
            String description = Arrays.stream(o.description()).collect(Collectors.joining(" "));
            out.println(line.append(" -d ").append(quote(description)));
        }
        for (var e : cmd.getSubcommands().entrySet()) {
            fishLevel(out, e.getValue(), e.getKey());
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
