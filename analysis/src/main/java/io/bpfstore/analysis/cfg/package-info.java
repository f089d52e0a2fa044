/**
 * Control-flow graphs of eBPF programs: basic blocks, edges, bpf-to-bpf calls and loops.
 *
 * <p>{@link io.bpfstore.analysis.cfg.ControlFlowGraph#of} builds one graph per entry program and
 * <em>inlines</em> every bpf-to-bpf call: each call site gets its own copy of the callee's blocks, with a
 * {@link io.bpfstore.analysis.cfg.EdgeKind#CALL} edge into the copy and a
 * {@link io.bpfstore.analysis.cfg.EdgeKind#RETURN} edge from each of its exits back to the instruction after the
 * call. An analysis therefore sees calls context-sensitively without any summary machinery; the price is size,
 * bounded by the kernel's own limit of 8 nested frames (deeper or recursive calls become
 * {@link io.bpfstore.analysis.cfg.EdgeKind#OPAQUE_CALL} edges that an analysis must treat as unknown).
 *
 * <p>Traps: slots count 8-byte units and a {@code ld_imm64} takes two, so a branch target is
 * {@code slot + 1 + offset}, never {@code index + 1 + offset}. In relocatable objects a call's immediate is
 * usually {@code -1} and only its relocation names the callee; callee lookup goes by relocation first. Callbacks
 * (function addresses loaded with {@code ld_imm64} for {@code bpf_loop} and friends) are not edges here.
 */
package io.bpfstore.analysis.cfg;
