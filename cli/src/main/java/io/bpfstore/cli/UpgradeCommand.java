package io.bpfstore.cli;

import io.bpfstore.install.Installation;
import io.bpfstore.install.InstallException;
import io.bpfstore.install.Installer;
import io.bpfstore.install.ResolvedPackage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore upgrade NAME[@VERSION]}: replaces an installation's package atomically (link update or XDP
 * recomposition), keeping the contents of maps whose definition did not change.
 */
@Command(name = "upgrade", description = "Upgrade an installation atomically, keeping compatible map contents.")
final class UpgradeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "installation name, optionally @VERSION (default: the latest)")
    String name;

    @Option(names = "--from", paramLabel = "SOURCE",
            description = "the new package: registry reference, layout directory or .o file (default: the installation's registry package at VERSION)")
    String from;

    @Option(names = "--reset-maps", description = "start maps whose definition changed empty instead of refusing")
    boolean resetMaps;

    @Mixin
    PackageTrust trust;

    @Override
    public Integer call() {
        int at = name.indexOf('@');
        String id = at < 0 ? name : name.substring(0, at);
        try (Installer installer = place.open(spec.commandLine().getErr())) {
            Installation current = installer.find(id).orElseThrow(() -> new InstallException(id + " is not installed"));
            String source = from;
            if (source == null) {
                if (current.pkg().source().startsWith("/")) {
                    throw new InstallException(id + " was installed from " + current.pkg().source()
                            + ", not a registry: name the new package with --from");
                }
                source = current.pkg().repository() + (at < 0 ? "" : name.substring(at));
            } else if (at >= 0) {
                throw new InstallException("give the version either as NAME@VERSION or in --from, not both");
            }
            ResolvedPackage pkg = trust.admitted(source);
            Installer.Outcome done = installer.upgrade(id, pkg, resetMaps);
            spec.commandLine().getOut().printf("upgraded %s from %s to %s%s%n", id, current.pkg().version(),
                    done.installation().pkg().version(), done.order().size() > 1
                            ? " (run order " + String.join(" > ", done.order()) + ")" : "");
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
