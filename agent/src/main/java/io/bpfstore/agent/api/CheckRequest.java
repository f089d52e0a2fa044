package io.bpfstore.agent.api;

import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/check}: check packages against each other and the host as it is now, as {@code bpfstore check
 * --host} does in its own process.
 *
 * @param packages object files (absolute paths, read with the agent's rights) or {@code NS/NAME[@VERSION]} registry
 *                 references (pulled and analysed, not loaded: no signature needed, as for {@code check})
 * @param registry the registry of the references (default: the agent's {@code --registry}, else the config file's)
 * @param netns    the network namespace the network programs go to
 * @param iface    the interface the network programs go to
 * @param cgroup   the cgroup v2 directory the cgroup programs go to
 * @param budget   the most map memory in bytes the packages may take
 */
public record CheckRequest(List<String> packages, Optional<String> registry, Optional<String> netns,
                           Optional<String> iface, Optional<String> cgroup, Optional<Long> budget) {
    /** Copies; absent lists and values become empty. */
    public CheckRequest {
        packages = packages == null ? List.of() : List.copyOf(packages);
        registry = registry == null ? Optional.empty() : registry;
        netns = netns == null ? Optional.empty() : netns;
        iface = iface == null ? Optional.empty() : iface;
        cgroup = cgroup == null ? Optional.empty() : cgroup;
        budget = budget == null ? Optional.empty() : budget;
    }
}
