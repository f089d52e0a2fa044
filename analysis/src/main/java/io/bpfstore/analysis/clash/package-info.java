/**
 * Clash detection: before a package is installed, which other packages or host programs it would clash with, and
 * why, in plain words.
 *
 * <p>Owns the findings model ({@link io.bpfstore.analysis.clash.Finding},
 * {@link io.bpfstore.analysis.clash.ClashReport}),
 * the abstract {@link io.bpfstore.analysis.clash.HostView} the checks read (built by the CLI from the kernel module,
 * which this module must not depend on) and the checks themselves ({@link io.bpfstore.analysis.clash.ClashDetector}).
 *
 * <p>Traps: the checked packages are taken in priority order (the first runs first on a shared hook); a program's
 * chain-ending verdicts differ per hook ({@code XDP_PASS} continues a dispatcher chain, {@code TC_ACT_OK} ends a tc
 * chain); traffic overlap is computed from the {@link io.bpfstore.analysis.summary.PacketSummary} conditions, which
 * over-approximate, so two conditions are reported as disjoint only when they contradict on the same field.
 */
package io.bpfstore.analysis.clash;
