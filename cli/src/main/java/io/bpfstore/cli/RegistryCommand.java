package io.bpfstore.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bpfstore registry}: administration of a registry's storage; each task is a subcommand. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Administer a registry's storage: migrate an embedded registry to PostgreSQL, index other registries.",
        subcommands = {MigrateCommand.class, RegistryIndexCommand.class})
public final class RegistryCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
