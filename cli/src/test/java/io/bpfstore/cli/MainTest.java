package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The entry point models only the subcommand a run names, and every subcommand otherwise. */
class MainTest {

    @Test
    void aNamedSubcommandIsTheOnlyOneModelled() {
        assertEquals(Set.of("load"), Main.commandLine("load", "x.o").getSubcommands().keySet());
        assertEquals(Set.of("inspect"), Main.commandLine("inspect", "--help").getSubcommands().keySet());
    }

    @Test
    void usageHelpAndUnknownCommandsSeeEverySubcommand() {
        int all = Main.SUBCOMMANDS.size();
        assertEquals(all, Main.commandLine().getSubcommands().size());
        assertEquals(all, Main.commandLine("help", "load").getSubcommands().size());
        assertEquals(all, Main.commandLine("no-such-command").getSubcommands().size());
        String usage = Main.commandLine().getUsageMessage();
        for (Class<?> c : Main.SUBCOMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            assertTrue(usage.contains("  " + name + " "), () -> name + " missing from usage:\n" + usage);
        }
    }

    @Test
    void subcommandHelpWorksWithTheLazyModel() {
        Cli.Result help = Cli.run("help", "disasm");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().startsWith("Usage: bpfstore disasm"), help.out());
    }
}
