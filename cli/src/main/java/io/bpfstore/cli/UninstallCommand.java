package io.bpfstore.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bpfstore uninstall NAME}: detaches an installation, removes its pins and its record. */
@Command(name = "uninstall", description = "Remove an installation: detach, unpin, forget.")
final class UninstallCommand implements Callable<Integer> {
    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name (see bpfstore list)")
    String name;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        place.installations(output.err()).uninstall(name);
        return output.print(java.util.Map.of("uninstalled", name),
                o -> Terminal.println(o, "uninstalled " + name));
    }
}
