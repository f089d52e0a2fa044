package io.bpfstore.cli;

import io.bpfstore.install.InstallRequest;
import io.bpfstore.install.Installer;
import io.bpfstore.install.PackageSource;
import io.bpfstore.install.PolicyGate;
import io.bpfstore.install.ResolvedPackage;
import io.bpfstore.install.TargetSelection;
import io.bpfstore.install.TcMode;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.store.config.StoreConfig;
import io.bpfstore.store.policy.HostPolicy;
import io.bpfstore.store.registry.ProgressBar;
import io.bpfstore.store.registry.RegistryClient;
import io.bpfstore.store.signing.KeyFiles;
import io.bpfstore.store.signing.SignaturePolicy;
import io.bpfstore.store.signing.TrustedKey;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bpfstore install NAME[@VERSION|@DIGEST] (--iface IF [--netns NS] [--direction D] [--tc-mode M] | --cgroup PATH)}:
 * pulls and verifies the package, checks it (clashes), loads it, attaches it and records the installation.
 * NAME may also be a local OCI layout directory or an object file (for development and tests).
 */
@Command(name = "install", description = "Install a package on this host: verify, check, load, attach, record.")
final class InstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    InstallPlace place;

    @Parameters(paramLabel = "NAME", description = "NAMESPACE/NAME[@VERSION|@sha256:DIGEST], or a layout directory or .o file")
    String name;

    @Option(names = "--iface", paramLabel = "IF", description = "network interface (XDP, tc)")
    String iface;

    @Option(names = "--netns", paramLabel = "NS", description = "network namespace of the interface (ip netns name)")
    String netns;

    @Option(names = "--direction", paramLabel = "DIR", description = "tc direction: ingress (default) or egress")
    Direction direction;

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

    @Option(names = "--force", description = "install despite clash errors (recorded on the installation)")
    boolean force;

    @Option(names = "--registry", paramLabel = "URL", description = "registry address (default: BPFSTORE_REGISTRY or the config file)")
    String registry;

    @Option(names = "--key", paramLabel = "PUB.pem", description = "trusted public key (repeatable; default: the trusted-keys directory)")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--allow-unsigned", description = "install without verifying a signature")
    boolean allowUnsigned;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "host policy (default: /etc/bpfstore/policy.yaml, else signatures required and nothing denied)")
    Path policyFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostPolicy policy = hostPolicy(policyFile, keys, allowUnsigned);
        ResolvedPackage pkg = resolve(name, registry, policy);
        admit(policy, pkg);
        var target = TargetSelection.target(new TargetSelection.Flags(Optional.ofNullable(iface),
                Optional.ofNullable(netns), Optional.ofNullable(direction), Optional.ofNullable(cgroup),
                Optional.ofNullable(program), Optional.ofNullable(tcMode)), pkg.parse(), pkg.name());
        try (Installer installer = place.open(err)) {
            Installer.Outcome done = installer.install(new InstallRequest(pkg, Optional.ofNullable(installationName),
                    target, Optional.ofNullable(program), Optional.ofNullable(priority),
                    Optional.ofNullable(proceedOn), force, beforeForeign));
            done.warnings().forEach(w -> err.println("bpfstore install: " + w));
            err.flush();
            var i = done.installation();
            out.printf("installed %s (%s %s) on %s: %s, priority %d%s%n", i.id(), i.pkg().repository(),
                    i.pkg().version(), i.target().describe(), String.join(", ", i.programs()), i.priority(),
                    done.order().size() > 1 ? ", run order " + String.join(" > ", done.order()) : "");
            out.flush();
            return 0;
        }
    }

    /**
     * The host policy an install or upgrade answers to: the policy file (or the built-in defaults), also trusting
     * the keys the user trusts for pulls, and allowing unsigned packages when asked to.
     */
    static HostPolicy hostPolicy(Path policyFile, List<Path> keyFiles, boolean allowUnsigned) {
        HostPolicy policy = policyFile != null ? HostPolicy.load(policyFile)
                : HostPolicy.loadOrDefaults(HostPolicy.DEFAULT_PATH);
        List<TrustedKey> userKeys = userKeys(StoreConfig.locate(System.getenv()), keyFiles);
        if (!userKeys.isEmpty()) {
            policy = policy.withSigners(HostPolicy.ANY_NAMESPACE, userKeys);
        }
        return allowUnsigned ? policy.allowingUnsigned() : policy;
    }

    /** Refuses, with every reason, a package the host policy denies; before anything is loaded. */
    static void admit(HostPolicy policy, ResolvedPackage pkg) {
        PolicyGate.decide(policy, pkg).requireAllowed();
    }

    /**
     * The package NAME names: a local layout or object, else a registry package pulled with every digest checked
     * and its signature verified against the user's trusted keys and the policy's signers for its namespace.
     */
    static ResolvedPackage resolve(String name, String registry, HostPolicy policy) {
        if (PackageSource.isLocal(name)) {
            return PackageSource.local(name);
        }
        StoreConfig config = StoreConfig.locate(System.getenv());
        URI uri = config.registry(Optional.ofNullable(registry), System.getenv());
        RegistryClient client = new RegistryClient(uri, config.credentials(uri), ProgressBar.forStderr());
        return PackageSource.pull(name, client, signaturePolicy(name, policy));
    }

    private static SignaturePolicy signaturePolicy(String name, HostPolicy policy) {
        if (policy.allowUnsigned()) {
            return new SignaturePolicy.AllowUnsigned();
        }
        String namespace = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        List<TrustedKey> trusted = policy.signersFor(namespace);
        if (trusted.isEmpty()) {
            throw new UserError("no trusted keys to verify the signature of " + name + " with: pass --key PUB.pem, "
                    + "put public keys in " + VerifyCommand.trustedKeysDir(StoreConfig.locate(System.getenv()))
                    + ", add signers to the host policy, or pass --allow-unsigned");
        }
        return new SignaturePolicy.Require(trusted);
    }

    /** The keys given with --key, else those in the trusted-keys directory. */
    private static List<TrustedKey> userKeys(StoreConfig config, List<Path> keyFiles) {
        return keyFiles.isEmpty() ? KeyFiles.trustedKeys(VerifyCommand.trustedKeysDir(config))
                : keyFiles.stream().map(TrustedKey::read).toList();
    }
}
