package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.Branch;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.Register;
import java.util.Objects;

/**
 * One statement of a program in the PREVAIL verifier's test syntax: an eBPF instruction, or one of the three
 * forms PREVAIL's tests use that have no eBPF encoding. A verifier that runs those tests needs them; an encoder
 * cannot take them, which is why {@link LlvmAssembler} rejects them and {@link PrevailAssembler} returns these.
 *
 * <p>Each statement takes as many slots as its encoding would (two for a 64-bit load, one for everything else),
 * and distances are counted in slots from the next statement, as for instructions.
 */
public sealed interface PrevailStatement {
    /** Number of slots the statement takes: that of the instruction, 1 for the pseudo-instructions. */
    default int slots() {
        return 1;
    }

    /**
     * An eBPF instruction.
     *
     * @param instruction the instruction
     */
    record Machine(Instruction instruction) implements PrevailStatement {
        /** Checks presence. */
        public Machine {
            Objects.requireNonNull(instruction, "instruction");
        }

        /** The instruction's slots: two for a 64-bit load, else one. */
        @Override
        public int slots() {
            return instruction.slots();
        }
    }

    /**
     * {@code assume <test>}: PREVAIL's verifier continues only with the states in which the test holds (or, if
     * {@code negated}, fails). PREVAIL creates these itself for both sides of every branch; its tests also write
     * them directly to set up a state.
     *
     * @param test    the comparison, as a conditional jump whose offset (zero) is not used
     * @param negated true for PREVAIL's {@code &!=} (no bit in common), the negation of {@code &}
     */
    record Assume(Branch test, boolean negated) implements PrevailStatement {
        /** Checks that the test is a comparison. */
        public Assume {
            if (!(test instanceof JumpImm || test instanceof JumpReg)) {
                throw new IllegalArgumentException("an assumption is a comparison, not " + test);
            }
        }
    }

    /**
     * {@code if <left> &!= <right> goto <target>}: jumps when the operands have no bit in common, the negation of
     * the {@code &} (JSET) jump, for which eBPF has no opcode.
     *
     * @param test the bit test whose failure makes the jump, with the jump's distance as its offset
     */
    record JumpUnless(Branch test) implements PrevailStatement {
        /** Checks that the test is a comparison. */
        public JumpUnless {
            if (!(test instanceof JumpImm || test instanceof JumpReg)) {
                throw new IllegalArgumentException("a conditional jump needs a comparison, not " + test);
            }
        }
    }

    /**
     * {@code wD s32= rS}: sign-extends the low 32 bits of src into the 32-bit register dst (and zeroes its upper
     * half). The result equals a 32-bit move, but the encoding (a 32-bit MOVSX with offset 32) is not defined.
     *
     * @param dst destination
     * @param src source
     */
    record SignExtend32(Register dst, Register src) implements PrevailStatement {
        /** Checks presence. */
        public SignExtend32 {
            Objects.requireNonNull(dst, "dst");
            Objects.requireNonNull(src, "src");
        }
    }
}
