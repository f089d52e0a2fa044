package io.bpfstore.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bpfstore registry}: administration of a registry's storage (each subcommand in its own class). */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Administer a registry's storage: index other registries.",
        subcommands = {RegistryIndexCommand.class})
public final class RegistryCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
