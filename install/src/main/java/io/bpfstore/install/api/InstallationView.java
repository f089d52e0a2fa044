package io.bpfstore.install.api;

import java.util.List;
import java.util.Optional;

/**
 * An installation as {@code list} and {@code status} show it.
 *
 * @param name        the installation name
 * @param repository  the package ({@code namespace/name})
 * @param version     the package version
 * @param digest      the image manifest digest (or a bare object's sha256)
 * @param source      where it came from: {@code NS/NAME@VERSION} or a local path
 * @param signedBy    the fingerprint of the key whose signature verified, empty when not checked
 * @param hook        the kind of hook
 * @param target      the hook in words ({@code xdp on eth1 (netns blue)})
 * @param iface       XDP, tc: the interface
 * @param netns       XDP, tc: its network namespace, empty for bpfstore's own
 * @param direction   tc: the direction
 * @param tcMode      tc: {@link TcMode#TCX} or {@link TcMode#LEGACY}
 * @param cgroup      cgroup: the cgroup directory
 * @param programs    the programs attached
 * @param priority    its place at a shared hook (lower runs first)
 * @param proceedOn   XDP: the actions on which the next package runs
 * @param forced      whether clash errors were overridden
 * @param generation  1 for the first install, +1 per upgrade
 * @param installedAt when this generation was installed (ISO-8601)
 */
public record InstallationView(String name, String repository, String version, String digest, String source,
                               Optional<String> signedBy, HookKind hook, String target, Optional<String> iface,
                               Optional<String> netns, Optional<TrafficDirection> direction, Optional<TcMode> tcMode,
                               Optional<String> cgroup, List<String> programs, int priority, List<String> proceedOn,
                               boolean forced, int generation, String installedAt) {
    /** Copies. */
    public InstallationView {
        programs = List.copyOf(programs);
        proceedOn = List.copyOf(proceedOn);
    }
}
