package io.bpfstore.install.api;

import java.util.Optional;

/**
 * Where to install, as the install flags give it; the service picks the hook from these and the package's programs.
 *
 * @param iface     {@code --iface}: the network interface (XDP, tc)
 * @param netns     {@code --netns}: the interface's network namespace (ip netns name)
 * @param direction {@code --direction}: tc only, default ingress
 * @param tcMode    {@code --tc-mode}: tc only, default auto
 * @param cgroup    {@code --cgroup}: a cgroup v2 directory (cgroup programs)
 */
public record Target(Optional<String> iface, Optional<String> netns, Optional<TrafficDirection> direction,
                     Optional<TcMode> tcMode, Optional<String> cgroup) {
    /** No flags: tracing packages need none. */
    public static Target none() {
        return new Target(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** An interface, optionally in a namespace (XDP, or tc ingress in auto mode). */
    public static Target iface(String iface, Optional<String> netns) {
        return new Target(Optional.of(iface), netns, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A cgroup directory. */
    public static Target cgroup(String path) {
        return new Target(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(path));
    }
}
