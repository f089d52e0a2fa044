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
        return run(place.installations(output.err()), output.out());
    }

    /** Uninstalls through {@code installations} and prints (also {@link AgentShortcut}'s path). */
    int run(io.bpfstore.agent.api.Installations installations, java.io.PrintWriter out) {
        installations.uninstall(name);
        return output.write(out, g -> {
            g.writeStartObject();
            g.writeStringField("uninstalled", name);
            g.writeEndObject();
        }, o -> Terminal.println(o, "uninstalled " + name));
    }
}
