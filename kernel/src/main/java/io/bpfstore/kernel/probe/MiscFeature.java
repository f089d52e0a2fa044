package io.bpfstore.kernel.probe;

import java.util.Locale;
import java.util.Optional;

/** Verifier and instruction-set capabilities, probed as bpftool's "misc" section does. */
public enum MiscFeature {
    /** Programs may exceed 4096 instructions (privileged limit of one million, kernel 5.2). */
    LARGE_INSN_LIMIT,
    /** The verifier accepts bounded loops (kernel 5.3). */
    BOUNDED_LOOPS,
    /** The v2 instruction set: BPF_JLT/JLE/JSLT/JSLE (kernel 4.14). */
    V2_ISA_EXTENSION,
    /** The v3 instruction set: 32-bit jumps, BPF_JMP32 (kernel 5.1). */
    V3_ISA_EXTENSION;

    /** bpftool's name, e.g. {@code large_insn_limit}. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant for bpftool's name. */
    public static Optional<MiscFeature> named(String name) {
        for (MiscFeature f : values()) {
            if (f.kernelName().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
