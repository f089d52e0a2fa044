/**
 * Clash detection: before a package is installed, which other packages or host programs it would clash with, and
 * why, in plain words.
 *
 * <p>Owns the findings model ({@link io.bpfstore.analysis.clash.Finding},
 * {@link io.bpfstore.analysis.clash.ClashReport}),
 * the abstract {@link io.bpfstore.analysis.clash.HostView} the checks read (built by the CLI from the kernel module,
 * which this module must not depend on) and the checks themselves ({@link io.bpfstore.analysis.clash.ClashDetector}):
 * kernel fit, exclusive hooks and silent replacement (XDP, cgroups, legacy tc slots, the namespace's flow dissector,
 * struct_ops names), chain order and semantic overlap (XDP, tc, sk_lookup), tracing overrides, pinned maps and
 * resources (map memory, program size, verifier effort).
 *
 * <p>Traps: the checked packages are taken in priority order (the first runs first on a shared hook); a program's
 * chain-ending verdicts differ per hook ({@code XDP_PASS} continues a dispatcher chain, {@code TC_ACT_OK} ends a tc
 * chain) and tcx programs always run before legacy tc filters; traffic overlap is computed from the
 * {@link io.bpfstore.analysis.summary.PacketSummary} conditions, which over-approximate, so two conditions are
 * reported as disjoint only when they contradict on the same field. Whether a host program would be replaced
 * silently or refuse the attach depends on how it was attached (link or not, cgroup flags): a
 * {@link io.bpfstore.analysis.clash.HostView} without attach modes gets the more cautious message. Programs bpfstore
 * installed must be listed in {@link io.bpfstore.analysis.clash.HostView#owned()}, or they count as foreign.
 * Packet summaries are cached per parsed program ({@code Summaries}): parsed objects are immutable.
 */
package io.bpfstore.analysis.clash;
