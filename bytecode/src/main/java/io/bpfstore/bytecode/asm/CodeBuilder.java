package io.bpfstore.bytecode.asm;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Writes a program instruction by instruction, in the spirit of java.lang.classfile's {@code CodeBuilder}: one
 * fluent method per kind of instruction over the {@link Instruction} model, and {@link Label}s for jumps and
 * local calls that may be bound after they are used. {@link #build} resolves every label to a distance in slots
 * (a 64-bit immediate load counts two, as in the encoding) and returns the immutable instruction list;
 * {@link #bytes} encodes it.
 *
 * <pre>{@code
 * CodeBuilder b = new CodeBuilder();
 * Label done = b.newLabel();
 * b.mov64(Register.R0, 2)                       // XDP_PASS
 *  .jumpIf(JumpCondition.EQ, Register.R1, 0, done)
 *  .mov64(Register.R0, 1)                       // XDP_DROP
 *  .bind(done)
 *  .exit();
 * byte[] code = b.bytes();
 * }</pre>
 *
 * A builder is for one program and one thread; after {@code build} it can go on and build again.
 */
public final class CodeBuilder {
    private final List<Instruction> instructions = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Label, Integer> bound = new IdentityHashMap<>();
    private int slots;
    private int labels;

    /** A jump or call at instruction {@code index} (slot {@code slot}) whose distance waits for {@code target}. */
    private record Pending(int index, int slot, Label target, IntFunction<Instruction> make) {
    }

    /** An empty program. */
    public CodeBuilder() {
    }

    /** A new, unbound label of this builder. */
    public Label newLabel() {
        return new Label(this, labels++);
    }

    /** Binds {@code label} to the slot the next instruction will take. */
    public CodeBuilder bind(Label label) {
        return bindAt(label, slots);
    }

    /**
     * Binds {@code label} to slot {@code slot} of the finished program, which may lie beyond this builder's code:
     * subprograms that a linker appends after it (a dispatcher's calls into its members).
     *
     * @throws IllegalArgumentException if the label is another builder's, already bound, or the slot negative
     */
    public CodeBuilder bindAt(Label label, int slot) {
        own(label);
        if (slot < 0) {
            throw new IllegalArgumentException("label " + label + " bound to negative slot " + slot);
        }
        if (bound.putIfAbsent(label, slot) != null) {
            throw new IllegalArgumentException("label " + label + " is already bound to slot " + bound.get(label));
        }
        return this;
    }

    /** Appends an instruction as it is (branches keep their numeric offsets). */
    public CodeBuilder with(Instruction instruction) {
        instructions.add(instruction);
        slots += instruction.slots();
        return this;
    }

    // ---- ALU ----

    /** {@code dst = imm} (64-bit). */
    public CodeBuilder mov64(Register dst, int imm) {
        return with(Instruction.mov64(dst, imm));
    }

    /** {@code dst = src} (64-bit). */
    public CodeBuilder mov64(Register dst, Register src) {
        return with(Instruction.mov64(dst, src));
    }

    /** {@code wdst = imm} (32-bit, upper half zeroed). */
    public CodeBuilder mov32(Register dst, int imm) {
        return with(Instruction.mov32(dst, imm));
    }

    /** {@code wdst = wsrc}. */
    public CodeBuilder mov32(Register dst, Register src) {
        return with(Instruction.mov32(dst, src));
    }

    /** {@code dst op= imm} (64-bit). */
    public CodeBuilder alu64(AluOp op, Register dst, int imm) {
        return with(Instruction.alu64(op, dst, imm));
    }

    /** {@code dst op= src} (64-bit). */
    public CodeBuilder alu64(AluOp op, Register dst, Register src) {
        return with(Instruction.alu64(op, dst, src));
    }

    /** {@code wdst op= imm} (32-bit). */
    public CodeBuilder alu32(AluOp op, Register dst, int imm) {
        return with(Instruction.alu32(op, dst, imm));
    }

    /** {@code wdst op= wsrc} (32-bit). */
    public CodeBuilder alu32(AluOp op, Register dst, Register src) {
        return with(Instruction.alu32(op, dst, src));
    }

    // ---- memory ----

    /** {@code dst = *(size *)(src + offset)}. */
    public CodeBuilder load(Size size, Register dst, Register src, int offset) {
        return with(Instruction.load(size, dst, src, offset));
    }

    /** {@code *(size *)(dst + offset) = src}. */
    public CodeBuilder store(Size size, Register dst, int offset, Register src) {
        return with(Instruction.store(size, dst, offset, src));
    }

    /** {@code *(size *)(dst + offset) = imm}. */
    public CodeBuilder storeImm(Size size, Register dst, int offset, int imm) {
        return with(Instruction.storeImm(size, dst, offset, imm));
    }

    // ---- 64-bit immediate loads (two slots) ----

    /** {@code dst = value ll}. */
    public CodeBuilder loadImm64(Register dst, long value) {
        return with(Instruction.loadImm64(dst, value));
    }

    /** {@code dst = map} by file descriptor (BPF_PSEUDO_MAP_FD). */
    public CodeBuilder loadMapFd(Register dst, int fd) {
        return with(Instruction.loadMapFd(dst, fd));
    }

    /** {@code dst = &map's value + offset} by file descriptor (BPF_PSEUDO_MAP_VALUE, for array maps). */
    public CodeBuilder loadMapValue(Register dst, int fd, int offset) {
        return with(Instruction.loadMapValue(dst, fd, offset));
    }

    // ---- jumps ----

    /** {@code goto target}. */
    public CodeBuilder jump(Label target) {
        return branch(target, Goto::new);
    }

    /** {@code if dst condition imm goto target} (64-bit compare). */
    public CodeBuilder jumpIf(JumpCondition condition, Register dst, int imm, Label target) {
        return branch(target, offset -> new JumpImm(Width.W64, condition, dst, imm, offset));
    }

    /** {@code if dst condition src goto target} (64-bit compare). */
    public CodeBuilder jumpIf(JumpCondition condition, Register dst, Register src, Label target) {
        return branch(target, offset -> new JumpReg(Width.W64, condition, dst, src, offset));
    }

    /** {@code if wdst condition imm goto target} (32-bit compare, BPF_JMP32). */
    public CodeBuilder jumpIf32(JumpCondition condition, Register dst, int imm, Label target) {
        return branch(target, offset -> new JumpImm(Width.W32, condition, dst, imm, offset));
    }

    /** {@code if wdst condition wsrc goto target} (32-bit compare, BPF_JMP32). */
    public CodeBuilder jumpIf32(JumpCondition condition, Register dst, Register src, Label target) {
        return branch(target, offset -> new JumpReg(Width.W32, condition, dst, src, offset));
    }

    // ---- calls and exit ----

    /** {@code call helper} by the helper's number ({@code enum bpf_func_id}). */
    public CodeBuilder call(int helper) {
        return with(Instruction.call(helper));
    }

    /** A bpf-to-bpf call of the subprogram at {@code target} (BPF_PSEUDO_CALL). */
    public CodeBuilder call(Label target) {
        return branch(target, CallLocal::new);
    }

    /** {@code call kfunc} by the kernel function's BTF id ({@code moduleIndex} 0: vmlinux). */
    public CodeBuilder callKfunc(int btfId, int moduleIndex) {
        return with(new CallKfunc(btfId, moduleIndex));
    }

    /** {@code exit}: returns r0. */
    public CodeBuilder exit() {
        return with(Instruction.exit());
    }

    // ---- result ----

    /** The program's length so far, in slots. */
    public int slots() {
        return slots;
    }

    /**
     * The program with every label resolved.
     *
     * @throws IllegalStateException naming the label when a jump or call names one that was never bound
     * @throws IllegalArgumentException when a jump's distance does not fit its 16-bit offset
     */
    public List<Instruction> build() {
        List<Instruction> out = new ArrayList<>(instructions);
        for (Pending p : pending) {
            Integer target = bound.get(p.target());
            if (target == null) {
                throw new IllegalStateException("label " + p.target() + " (used by instruction " + p.index()
                        + " at slot " + p.slot() + ") is never bound");
            }
            out.set(p.index(), p.make().apply(target - p.slot() - 1));
        }
        return Collections.unmodifiableList(out);
    }

    /** The program encoded in this machine's byte order, as bpf(2) takes it. */
    public byte[] bytes() {
        return bytes(ByteOrder.nativeOrder());
    }

    /** The program encoded in {@code order}. */
    public byte[] bytes(ByteOrder order) {
        return InstructionCodec.encode(build(), order);
    }

    private CodeBuilder branch(Label target, IntFunction<Instruction> make) {
        own(target);
        pending.add(new Pending(instructions.size(), slots, target, make));
        return with(make.apply(0));
    }

    private void own(Label label) {
        if (label.owner() != this) {
            throw new IllegalArgumentException("label " + label + " belongs to another builder");
        }
    }
}
