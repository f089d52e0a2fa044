package io.bpfstore.cli;

import io.bpfstore.agent.api.Installations;
import io.bpfstore.install.api.InstallRequest;
import io.bpfstore.install.api.InstallResult;
import io.bpfstore.install.api.InstallationView;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpfstore install NAME[@VERSION|@DIGEST] (--iface IF [--netns NS] [--direction D] [--tc-mode M] | --cgroup PATH)}:
 * pulls and verifies the package, checks it (clashes), loads it, attaches it and records the installation.
 * NAME may also be a local OCI layout directory or an object file (for development and tests).
 */
@Command(name = "install", description = "Install a package on this host: verify, check, load, attach, record.")
final class InstallCommand implements Callable<Integer> {
    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "NAMESPACE/NAME[@VERSION|@sha256:DIGEST], or a layout directory or .o file")
    String name;

    @Option(names = "--iface", paramLabel = "IF", description = "network interface (XDP, tc)")
    String iface;

    @Option(names = "--netns", paramLabel = "NS", description = "network namespace of the interface (ip netns name)")
    String netns;

    @Option(names = "--direction", paramLabel = "DIR", description = "tc direction: ingress (default) or egress")
    TrafficDirection direction;

    @Option(names = "--cgroup", paramLabel = "PATH", description = "cgroup v2 directory (cgroup programs)")
    Path cgroup;

    @Option(names = "--program", paramLabel = "P", description = "the program to attach, when the package has several for the hook")
    String program;

    @Option(names = "--name", paramLabel = "ID", description = "installation name (default: the package name)")
    String installationName;

    @Option(names = "--priority", paramLabel = "N", description = "place at a shared hook, 1 (first) .. 1000 (default: the manifest's, else 50)")
    Integer priority;

    @Option(names = "--proceed-on", paramLabel = "ACTION", split = ",",
            description = "XDP actions on which the next package runs (default: the manifest's, else pass,dispatcher_return)")
    List<String> proceedOn;

    @Option(names = "--before-foreign", description = "tc: place before links other tools attached (default: after)")
    boolean beforeForeign;

    @Option(names = "--tc-mode", paramLabel = "MODE",
            description = "tc: auto (tcx where the kernel has it, else legacy clsact; default), tcx or legacy")
    TcMode tcMode;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "set a const volatile variable of .rodata/.data before load, typed from BTF (integers, bool,"
                    + " char, enum names, strings for char arrays); kept for the installation's later loads")
    java.util.Map<String, String> globals = new java.util.LinkedHashMap<>();

    @Option(names = "--allow-downgrade", description = "allow a version lower than one already pulled from the "
            + "registry (a rollback); refused otherwise")
    boolean allowDowngrade;

    @Option(names = "--force", description = "install despite clash errors (recorded on the installation)")
    boolean force;

    @Mixin
    PackageTrust trust;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        return run(place.installations(output.err()), output.out(), output.err());
    }

    /** Installs through {@code installations} and prints (also {@link AgentShortcut}'s path). */
    int run(Installations installations, PrintWriter out, PrintWriter err) {
        Target target = new Target(Optional.ofNullable(iface), Optional.ofNullable(netns), Optional.ofNullable(direction),
                Optional.ofNullable(tcMode), Optional.ofNullable(cgroup).map(c -> c.toAbsolutePath().toString()));
        InstallResult done = installations.install(new InstallRequest(InstallPlace.absolute(name), target, Optional.ofNullable(program),
                Optional.ofNullable(installationName), Optional.ofNullable(priority), Optional.ofNullable(proceedOn),
                beforeForeign, force, trust.trust().allowingDowngrade(allowDowngrade), globals));
        done.warnings().forEach(w -> Terminal.println(err, "bpfstore install: " + w));
        err.flush();
        InstallationView i = done.installation();
        if (output.json()) {
            Json.write(out, g -> {
                g.writeStartObject();
                ListCommand.installation(g, i);
                ListCommand.strings(g, "order", done.order());
                ListCommand.strings(g, "warnings", done.warnings());
                g.writeEndObject();
            });
            return 0;
        }
        Terminal.printf(out, "installed %s (%s %s) on %s: %s, priority %d%s%n", i.name(), i.repository(), i.version(),
                i.target(), String.join(", ", i.programs()), i.priority(),
                done.order().size() > 1 ? ", run order " + String.join(" > ", done.order()) : "");
        out.flush();
        return 0;
    }
}
