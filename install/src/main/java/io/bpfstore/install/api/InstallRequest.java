package io.bpfstore.install.api;

import java.util.List;
import java.util.Optional;

/**
 * {@code bpfstore install}: a package reference and where and how to install it.
 *
 * @param reference     {@code NAMESPACE/NAME[@VERSION|@sha256:DIGEST]} in a registry, or a local OCI layout
 *                      directory or {@code .o} file
 * @param target        the hook flags
 * @param program       the one program to attach, when the package has several for the hook
 * @param name          the installation name (default: the package name)
 * @param priority      the place at a shared hook, 1..1000 (default: the manifest's hook hint, else 50)
 * @param proceedOn     XDP: the actions on which the next package runs (default: the manifest's, else pass and
 *                      dispatcher_return)
 * @param beforeForeign tc: go before links other tools attached (default: after them)
 * @param force         install despite clash errors (recorded on the installation)
 * @param trust         registry, keys and host policy
 */
public record InstallRequest(String reference, Target target, Optional<String> program, Optional<String> name,
                             Optional<Integer> priority, Optional<List<String>> proceedOn, boolean beforeForeign,
                             boolean force, Trust trust) {
    /** Copies. */
    public InstallRequest {
        proceedOn = proceedOn.map(List::copyOf);
    }

    /** A request with the defaults: no program, name, priority or proceed-on given; not forced. */
    public static InstallRequest of(String reference, Target target, Trust trust) {
        return new InstallRequest(reference, target, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, false, trust);
    }
}
