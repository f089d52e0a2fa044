package io.bpfstore.install;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.ClashDetector;
import io.bpfstore.analysis.clash.ClashReport;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.probe.ProbeCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@code bpfstore check --host} and the agent's {@code POST /v1/check} ask: packages checked against each
 * other and against the host as it is now, read by {@link HostViewReader} (the reader install's preflight uses),
 * with bpfstore's own programs taken as owned, not foreign. Run through {@link InstallService#checkHost}.
 *
 * @param netns      the network namespace (name under /run/netns or an nsfs path), empty for this process's
 * @param iface      the interface the network programs go to, empty for none
 * @param cgroup     the cgroup the cgroup programs go to, empty for none
 * @param pinRoot    where maps pinned by name go
 * @param probeCache the directory kernel probe results are cached in, per boot
 * @param budget     the most map memory the packages may take together, if limited
 * @param trialLoad  load the packages (nothing attached, all closed again) to learn the verifier's counts
 * @param tcSlot     the legacy tc filter slot the tc programs take, empty for tcx
 */
public record HostClashCheck(Optional<String> netns, Optional<String> iface, Optional<Path> cgroup, Path pinRoot,
                             Path probeCache, OptionalLong budget, boolean trialLoad,
                             Optional<HostView.TcSlot> tcSlot) {

    /** The check at a place, with the default pin root and probe cache, no trial load and tcx for tc programs. */
    public static HostClashCheck at(Optional<String> netns, Optional<String> iface, Optional<Path> cgroup,
                                    OptionalLong budget) {
        return new HostClashCheck(netns, iface, cgroup, LoadOptions.DEFAULT_PIN_ROOT, ProbeCache.defaultDirectory(),
                budget, false, Optional.empty());
    }

    /** The clash report of {@code packages} on the host, {@code owned} being bpfstore's own program ids. */
    ClashReport run(List<CheckedPackage> packages, Set<Integer> owned) throws IOException {
        HostView view = new HostViewReader(packages, netns, iface, cgroup, pinRoot)
                .read(new ProbeCache(probeCache).get(), budget).withOwned(owned);
        if (trialLoad) {
            view = view.withVerified(HostViewReader.trialLoad(packages));
        }
        if (tcSlot.isPresent()) {
            view = view.withTcSlot(tcSlot.get());
        }
        return ClashDetector.check(packages, view);
    }
}
