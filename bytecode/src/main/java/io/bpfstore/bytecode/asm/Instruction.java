package io.bpfstore.bytecode.asm;

/**
 * One eBPF instruction (RFC 9669 plus the extensions LLVM 19 emits): an immutable value that knows nothing of
 * its position. Walk a program with an exhaustive {@code switch} over the permitted records; make new
 * instructions with the record constructors or the factories here, e.g. {@code Instruction.mov64(Register.R0, 0)}.
 *
 * <p>Each record holds exactly the fields its encoding carries, so {@link InstructionCodec} re-encodes a decoded
 * instruction to the same bytes. Fields that the encoding fixes (the unused register, offset or immediate
 * fields, which must be zero) are not represented.
 */
public sealed interface Instruction
        permits AluImm, AluReg, Neg, MovSx, AddrSpaceCast, ByteSwap, Branch, CallHelper, CallLocal, CallKfunc,
        CallRegister, Exit, LoadImm64, LoadAbsolute, LoadIndirect, Load, LoadSigned, StoreImm, Store, Atomic {

    /** Number of 8-byte slots the instruction occupies: 2 for {@link LoadImm64}, else 1. */
    default int slots() {
        return 1;
    }

    /** {@code dst = imm} on 64 bits (imm sign-extended). */
    static AluImm mov64(Register dst, int imm) {
        return new AluImm(Width.W64, AluOp.MOV, dst, imm);
    }

    /** {@code dst = src} on 64 bits. */
    static AluReg mov64(Register dst, Register src) {
        return new AluReg(Width.W64, AluOp.MOV, dst, src);
    }

    /** {@code wdst = imm} (upper half zeroed). */
    static AluImm mov32(Register dst, int imm) {
        return new AluImm(Width.W32, AluOp.MOV, dst, imm);
    }

    /** {@code wdst = wsrc} (upper half zeroed). */
    static AluReg mov32(Register dst, Register src) {
        return new AluReg(Width.W32, AluOp.MOV, dst, src);
    }

    /** {@code dst op= imm} on 64 bits. */
    static AluImm alu64(AluOp op, Register dst, int imm) {
        return new AluImm(Width.W64, op, dst, imm);
    }

    /** {@code dst op= src} on 64 bits. */
    static AluReg alu64(AluOp op, Register dst, Register src) {
        return new AluReg(Width.W64, op, dst, src);
    }

    /** {@code wdst op= imm} on 32 bits. */
    static AluImm alu32(AluOp op, Register dst, int imm) {
        return new AluImm(Width.W32, op, dst, imm);
    }

    /** {@code wdst op= wsrc} on 32 bits. */
    static AluReg alu32(AluOp op, Register dst, Register src) {
        return new AluReg(Width.W32, op, dst, src);
    }

    /** Unconditional jump by {@code offset} slots, counted from the next instruction. */
    static Goto jump(int offset) {
        return new Goto(offset);
    }

    /** {@code if dst <condition> imm goto +offset} on 64 bits. */
    static JumpImm jumpIf(JumpCondition condition, Register dst, int imm, int offset) {
        return new JumpImm(Width.W64, condition, dst, imm, offset);
    }

    /** {@code if dst <condition> src goto +offset} on 64 bits. */
    static JumpReg jumpIf(JumpCondition condition, Register dst, Register src, int offset) {
        return new JumpReg(Width.W64, condition, dst, src, offset);
    }

    /** Call of helper function number {@code helper}. */
    static CallHelper call(int helper) {
        return new CallHelper(helper);
    }

    /** Return R0 to the caller. */
    static Exit exit() {
        return Exit.INSTANCE;
    }

    /** {@code dst = value} with a 64-bit constant (two slots). */
    static LoadImm64 loadImm64(Register dst, long value) {
        return LoadImm64.of(dst, value);
    }

    /** {@code dst = map} where the loader (or the kernel) resolves map file descriptor {@code fd}. */
    static LoadImm64 loadMapFd(Register dst, int fd) {
        return new LoadImm64(dst, Pseudo.MAP_FD, fd, 0);
    }

    /** {@code dst = &value_of(map)[offset]} for map file descriptor {@code fd}. */
    static LoadImm64 loadMapValue(Register dst, int fd, int offset) {
        return new LoadImm64(dst, Pseudo.MAP_VALUE, fd, offset);
    }

    /** {@code dst = *(size *)(src + offset)}. */
    static Load load(Size size, Register dst, Register src, int offset) {
        return new Load(size, dst, src, offset);
    }

    /** {@code *(size *)(dst + offset) = src}. */
    static Store store(Size size, Register dst, int offset, Register src) {
        return new Store(size, dst, src, offset);
    }

    /** {@code *(size *)(dst + offset) = imm}. */
    static StoreImm storeImm(Size size, Register dst, int offset, int imm) {
        return new StoreImm(size, dst, offset, imm);
    }
}
