package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The entry point models only the subcommand a run names; every command answers --help and -h. */
class MainTest {

    @Test
    void aNamedSubcommandIsTheOnlyOneModelled() {
        assertEquals(Set.of("help", "load"), Main.commandLine("load", "x.o").getSubcommands().keySet());
        assertEquals(Set.of("help", "inspect"), Main.commandLine("inspect", "--help").getSubcommands().keySet());
        assertEquals(Set.of("help", "load"), Main.commandLine("help", "load").getSubcommands().keySet());
    }

    @Test
    void usageHelpAndUnknownCommandsSeeEverySubcommand() {
        int all = Main.SUBCOMMANDS.size() + 1;  // and help
        assertEquals(all, Main.commandLine().getSubcommands().size());
        assertEquals(all, Main.commandLine("no-such-command").getSubcommands().size());
        for (String[] args : List.of(new String[0], new String[] {"--help"})) {
            Cli.Result usage = Cli.run(args);
            assertEquals(0, usage.exit(), usage.err());
            for (Class<?> c : Main.SUBCOMMANDS) {
                Command command = c.getAnnotation(Command.class);
                String opening = String.join(" ", List.of(command.description()[0].split(" ")).subList(0, 3));
                assertTrue(usage.out().contains("  " + command.name() + "  ") && usage.out().contains(opening),
                        () -> command.name() + " missing from usage:\n" + usage.out());
            }
        }
        Cli.Result unknown = Cli.run("instal");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("instal") && unknown.err().contains("install"), unknown.err());
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithExitZero() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() > Main.SUBCOMMANDS.size(), "subcommands of subcommands are included: " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Cli.Result r = Cli.run(args.toArray(String[]::new));
                assertEquals(0, r.exit(), () -> args + ": " + r.err());
                String usage = "Usage: " + String.join(" ", List.of("bpfstore")) + (path.isEmpty() ? "" : " " + String.join(" ", path));
                assertTrue(r.out().startsWith(usage), () -> args + " printed:\n" + r.out());
            }
        }
        Cli.Result help = Cli.run("help", "disasm");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("Usage: bpfstore disasm"), help.out());
    }

    private static void collect(CommandLine cmd, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cmd.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                path.add(name);
                collect(sub, path, out);
                path.removeLast();
            }
        });
    }
}
