package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.Program;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks packages, in priority order, against each other and the host: kernel fit; exclusive hooks (XDP, legacy tc
 * slots, flow dissector, struct_ops names) and silent replacement (cgroup, XDP, flow dissector); chain order and
 * semantic overlap and write conflicts on shared hooks (XDP, tc, sk_lookup); tracing overrides; pinned maps; resources.
 *
 * <p>Usage: {@code ClashDetector.check(List.of(firewall, counter), HostView.none())}.
 */
public final class ClashDetector {
    private ClashDetector() {
    }

    /** The report for {@code packages} (first = runs first on a shared hook) on {@code host}. */
    public static ClashReport check(List<CheckedPackage> packages, HostView host) {
        List<Finding> findings = new ArrayList<>();
        host.kernel().ifPresent(k -> findings.addAll(KernelFitCheck.check(packages, k)));
        Map<Hook, List<Placement>> hooks = new EnumMap<>(Hook.class);
        for (CheckedPackage pkg : packages) {
            EnumMap<Hook, Program> first = new EnumMap<>(Hook.class);
            for (Program p : pkg.object().programs()) {
                Optional<Hook> hook = Placement.hookOf(p);
                hook.ifPresent(h -> first.putIfAbsent(h, p));
            }
            first.forEach((h, p) -> hooks.computeIfAbsent(h, k -> new ArrayList<>()).add(new Placement(pkg, p, h)));
        }
        findings.addAll(ExclusiveHookCheck.check(hooks.getOrDefault(Hook.XDP, List.of()), host));
        for (List<Placement> chain : hooks.values()) {
            findings.addAll(TcSlotCheck.check(chain, host));
            findings.addAll(ForeignChainCheck.check(chain, host));
            findings.addAll(ChainCheck.check(chain, host));
            findings.addAll(WriteConflictCheck.check(chain, host));
        }
        findings.addAll(CgroupHookCheck.check(packages, host));
        findings.addAll(NetnsHookCheck.check(packages, host));
        findings.addAll(StructOpsCheck.check(packages, host));
        findings.addAll(TracingCheck.check(packages));
        findings.addAll(PinnedMapCheck.check(packages, host.pins()));
        findings.addAll(ResourceCheck.check(packages, host.resources(), host.verified()));
        return new ClashReport(packages.stream().map(CheckedPackage::name).toList(), findings);
    }
}
