package io.bpfstore.cli;

import io.bpfstore.agent.api.Installations;
import io.bpfstore.install.api.UpgradeRequest;
import io.bpfstore.install.api.UpgradeResult;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore upgrade NAME[@VERSION]}: replaces an installation's package atomically (link update or XDP
 * recomposition), keeping the contents of maps whose definition did not change.
 */
@Command(name = "upgrade", description = "Upgrade an installation atomically, keeping compatible map contents.")
final class UpgradeCommand implements Callable<Integer> {
    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name, optionally @VERSION (default: the latest)")
    String name;

    @Option(names = "--from", paramLabel = "SOURCE",
            description = "the new package: registry reference, layout directory or .o file (default: the installation's registry package at VERSION)")
    String from;

    @Option(names = "--reset-maps", description = "start maps whose definition changed empty instead of refusing")
    boolean resetMaps;

    @Option(names = "--allow-downgrade", description = "allow a version lower than the installed one, or than one already pulled (a rollback); "
            + "refused otherwise, so that an older signed version served under a newer tag cannot roll the host back")
    boolean allowDowngrade;

    @Mixin
    PackageTrust trust;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        return run(place.installations(output.err()), output.out());
    }

    /** Upgrades through {@code installations} and prints (also {@link AgentShortcut}'s path). */
    int run(Installations installations, PrintWriter out) {
        UpgradeResult done = installations.upgrade(new UpgradeRequest(name,
                Optional.ofNullable(from).map(InstallPlace::absolute), resetMaps, trust.trust(), allowDowngrade));
        return output.write(out, g -> {
            g.writeStartObject();
            ListCommand.installation(g, done.installation());
            g.writeStringField("previous_version", done.previousVersion());
            ListCommand.strings(g, "order", done.order());
            g.writeEndObject();
        }, o -> Terminal.printf(o, "upgraded %s from %s to %s%s%n", name.split("@", 2)[0], done.previousVersion(),
                done.installation().version(), done.order().size() > 1
                        ? " (run order " + String.join(" > ", done.order()) + ")" : ""));
    }
}
