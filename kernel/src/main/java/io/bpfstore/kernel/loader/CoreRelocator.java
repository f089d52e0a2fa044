package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.CoreRelocation;
import io.bpfstore.bytecode.btf.core.CoreResolver;
import io.bpfstore.bytecode.btf.core.CoreResult;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Applies CO-RE relocations to instructions (libbpf's bpf_core_patch_insn): the value each relocation needs is
 * decided from BTF alone by {@link CoreResolver}; this writes it into the immediate or offset (and the memory
 * access size where the kernel's field size differs), after checking that the instruction holds what the
 * compiler put there. A relocation nothing matches poisons its instruction (a call to the invalid helper
 * 0xbad2310) so that the verifier names it only if it is reachable, as libbpf does.
 */
final class CoreRelocator {
    /** The helper number libbpf writes into poisoned instructions (0xbad2310). */
    static final int POISON = 0xbad2310;

    private final CoreResolver resolver;

    CoreRelocator(Btf local, Supplier<Btf> target) {
        this.resolver = new CoreResolver(local, target);
    }

    /**
     * Applies {@code relocation} to slot {@code slot} of {@code code}.
     *
     * @return when the instruction was poisoned, what the kernel lacks (e.g. {@code field task_struct.x})
     * @throws LoadException naming {@code where} when the relocation cannot be computed or does not fit the
     *                       instruction
     */
    Optional<String> apply(CoreRelocation relocation, InstructionBuffer code, int slot, String where) {
        CoreResult r;
        try {
            r = resolver.resolve(relocation);
        } catch (IllegalArgumentException e) {
            throw new LoadException(where + ": CO-RE relocation " + resolver.describe(relocation) + " failed: "
                    + e.getMessage(), e);
        }
        patch(code, slot, r, relocation, where);
        return r.missing() ? Optional.of(resolver.missing(relocation, r)) : Optional.empty();
    }

    // ---- patching (bpf_core_patch_insn) ----

    private void patch(InstructionBuffer code, int slot, CoreResult r, CoreRelocation relocation, String where) {
        String what = where + ": CO-RE relocation " + resolver.describe(relocation) + " at instruction " + slot;
        if (r.missing()) {
            if (code.isLdImm64(slot)) {
                poison(code, slot + 1);
            }
            poison(code, slot);
            return;
        }
        int op = code.code(slot);
        int cls = op & 0x07;
        switch (cls) {
            case 0x04, 0x07 -> { // BPF_ALU, BPF_ALU64
                if ((op & 0x08) != 0) {
                    throw new LoadException(what + ": ALU instruction does not take an immediate");
                }
                if (r.validate() && code.imm(slot) != (int) r.origVal()) {
                    throw new LoadException(what + ": unexpected immediate " + code.imm(slot) + ", expected " + r.origVal());
                }
                code.imm(slot, (int) r.newVal());
            }
            case 0x01, 0x02, 0x03 -> { // BPF_LDX, BPF_ST, BPF_STX
                if (r.validate() && code.off(slot) != r.origVal()) {
                    throw new LoadException(what + ": unexpected offset " + code.off(slot) + ", expected " + r.origVal());
                }
                if (r.newVal() > Short.MAX_VALUE) {
                    throw new LoadException(what + ": offset " + r.newVal() + " does not fit in 16 bits");
                }
                code.off(slot, (int) r.newVal());
                if (r.newSize() != r.origSize()) {
                    int size = switch (op & 0x18) {
                        case 0x00 -> 4;
                        case 0x08 -> 2;
                        case 0x10 -> 1;
                        default -> 8;
                    };
                    if (size != r.origSize()) {
                        throw new LoadException(what + ": memory access of " + size + " bytes, field of " + r.origSize());
                    }
                    int bpfSize = switch ((int) r.newSize()) {
                        case 1 -> 0x10;
                        case 2 -> 0x08;
                        case 4 -> 0x00;
                        case 8 -> 0x18;
                        default -> throw new LoadException(what + ": kernel field size " + r.newSize() + " is not loadable");
                    };
                    code.code(slot, (op & 0xe0) | bpfSize | cls);
                }
            }
            case 0x00 -> { // BPF_LD: only ld_imm64
                if (!code.isLdImm64(slot) || code.src(slot) != 0) {
                    throw new LoadException(what + ": not a plain 64-bit immediate load");
                }
                long imm = Integer.toUnsignedLong(code.imm(slot)) | (long) code.imm(slot + 1) << 32;
                if (r.validate() && imm != r.origVal()) {
                    throw new LoadException(what + ": unexpected immediate " + imm + ", expected " + r.origVal());
                }
                code.imm(slot, (int) r.newVal());
                code.imm(slot + 1, (int) (r.newVal() >>> 32));
            }
            default -> throw new LoadException(what + ": instruction class " + cls + " cannot be relocated");
        }
    }

    private static void poison(InstructionBuffer code, int slot) {
        code.code(slot, InstructionBuffer.CALL);
        code.registers(slot, 0, 0);
        code.off(slot, 0);
        code.imm(slot, POISON);
    }
}