package io.bpfstore.analysis.cfg;

/** Why control may pass from one block to another. */
public enum EdgeKind {
    /** Into the next block without a jump (the block ended because the next one is a jump target). */
    FALLTHROUGH,
    /** Unconditional jump ({@code goto}, {@code gotol}). */
    GOTO,
    /** A conditional jump taken. */
    TAKEN,
    /** A conditional jump not taken. */
    NOT_TAKEN,
    /** A bpf-to-bpf call into the callee's entry block (a new frame). */
    CALL,
    /** From a callee's exit back to the instruction after its call site (the frame is popped). */
    RETURN,
    /** Past a call whose callee was not inlined (recursion, too deep, unresolvable): effects unknown. */
    OPAQUE_CALL
}
