/**
 * Derived permissions: what a program can do, in plain words, with the Linux capabilities each needs and the
 * instructions that show it.
 *
 * <p>{@link io.bpfstore.analysis.permissions.PermissionAnalyzer#derive} reads the program type, the helpers and
 * kfuncs called, the maps used and what the region domain found the code doing (packet stores, verdict
 * constants) and returns, per program, a {@link io.bpfstore.analysis.permissions.ProgramPermissions}. A publish
 * step compares it with what the package declares ({@link io.bpfstore.analysis.permissions.DeclaredPermissions},
 * by {@link io.bpfstore.analysis.permissions.Permission#id() id} or plain name) and refuses with the evidence.
 *
 * <p>One vocabulary: the ids ({@code drops-packets}, {@code writes-process-memory}, ...) are what manifests,
 * package labels, host policies and JSON output use; they are stable once published, so never rename one.
 *
 * <p>Traps: helpers are judged by what they can do, not by whether a path that calls them is feasible; verdicts
 * come from the summary (a "drops packets" needs a path that may return XDP_DROP or TC_ACT_SHOT). Capabilities
 * follow the kernel's rules as of 6.x: CAP_BPF for every load, CAP_NET_ADMIN to attach networking programs,
 * CAP_PERFMON for tracing and for reading kernel memory, CAP_SYS_ADMIN for the rest (writing user memory,
 * overriding return values, signals, program types without a narrower capability).
 */
package io.bpfstore.analysis.permissions;
