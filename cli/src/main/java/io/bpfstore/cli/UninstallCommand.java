package io.bpfstore.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bpfstore uninstall NAME}: detaches an installation, removes its pins and its record. */
@Command(name = "uninstall", description = "Remove an installation: detach, unpin, forget.")
final class UninstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name (see bpfstore list)")
    String name;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        return run(place.installations(spec.commandLine().getErr()), spec.commandLine().getOut());
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
