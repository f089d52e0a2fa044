package io.bpfstore.bytecode.asm;

import io.bpfstore.bytecode.ByteReader;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes eBPF machine code into {@link Instruction}s and encodes them back, exactly: for every byte sequence
 * that decodes, encoding the result gives the same bytes.
 *
 * <p>A slot is 8 bytes: opcode (1 byte), registers (1 byte: destination in the low nibble and source in the
 * high nibble on little-endian targets, the other way round on big-endian ones), a signed 16-bit offset and a
 * signed 32-bit immediate, both in the object's byte order.
 *
 * <p>Decoding is strict where RFC 9669 says unused fields "SHALL be cleared to zero": every field an
 * instruction does not use must be zero, and register fields must name r0 to r10. Fields that carry meaning
 * for some variant are kept as they are (the immediate of {@code LD_IND}, the offset of a kfunc call, the
 * immediate of {@code addr_space_cast}, both halves of every 64-bit immediate load). Opcodes outside RFC 9669
 * and LLVM 19's output are rejected, among them {@code LD_ABS}/{@code LD_IND} of DW size, sign-extending DW
 * loads, 8- and 16-bit atomics, and the second half of a 64-bit load with any field but its immediate set.
 * This is stricter than llvm-objdump, which prints some such encodings while ignoring the offending field.
 */
public final class InstructionCodec {
    /** Bytes per instruction slot. */
    public static final int SLOT_SIZE = 8;

    /** Instruction classes (low three bits of the opcode). */
    private static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06,
            ALU64 = 0x07;
    /** Modes of the load and store classes (top three bits). */
    private static final int MODE_IMM = 0x00, MODE_ABS = 0x20, MODE_IND = 0x40, MODE_MEM = 0x60,
            MODE_MEMSX = 0x80, MODE_ATOMIC = 0xc0;
    /** Source bit of arithmetic and jump classes. */
    private static final int SRC_X = 0x08;
    /** Operations of the arithmetic classes beyond {@link AluOp}. */
    private static final int OP_NEG = 0x80, OP_END = 0xd0, OP_MOV = 0xb0;
    /** Operations of the jump classes beyond {@link JumpCondition}. */
    private static final int OP_JA = 0x00, OP_CALL = 0x80, OP_EXIT = 0x90, OP_JCOND = 0xe0;
    /** Source register values of {@code call}. */
    private static final int CALL_HELPER = 0, CALL_LOCAL = CallLocal.SRC_REG, CALL_KFUNC = CallKfunc.SRC_REG;
    /** Offset of {@code mov} that makes it {@code addr_space_cast}. */
    private static final int ADDR_SPACE_CAST = 1;

    private InstructionCodec() {
    }

    /** The fields of one slot, widened to int; {@code off} and {@code imm} are signed. */
    private record Raw(int opcode, int dst, int src, int off, int imm) {
    }

    /**
     * Decodes a whole section of code.
     *
     * @param code    the section's bytes; the length must be a multiple of 8
     * @param order   the object's byte order
     * @param section name used in errors
     * @return the instructions in order, each with its slot
     * @throws InvalidInstructionException for anything that is not a valid encoding
     */
    public static List<InstructionAt> decode(byte[] code, ByteOrder order, String section) {
        if (code.length % SLOT_SIZE != 0) {
            throw new InvalidInstructionException(section, code.length - code.length % SLOT_SIZE,
                    "code size " + code.length + " is not a multiple of 8; " + code.length % SLOT_SIZE
                            + " trailing bytes are no instruction");
        }
        int slots = code.length / SLOT_SIZE;
        List<InstructionAt> result = new ArrayList<>(slots);
        int slot = 0;
        while (slot < slots) {
            Instruction instruction = decodeAt(code, slot, order, section);
            result.add(new InstructionAt(slot, instruction));
            slot += instruction.slots();
        }
        return List.copyOf(result);
    }

    /**
     * Decodes a whole section of code given as a reader over its bytes (as the ELF reader hands out sections);
     * errors name {@code code.where()} and offsets inside the slice.
     *
     * @throws InvalidInstructionException for anything that is not a valid encoding
     */
    public static List<InstructionAt> decode(ByteReader code) {
        return decode(code.toArray(), code.order(), code.where());
    }

    /**
     * Decodes the instruction whose first slot is {@code slot} (two slots for a 64-bit immediate load).
     *
     * @throws InvalidInstructionException for anything that is not a valid encoding, or a slot past the end
     */
    public static Instruction decodeAt(byte[] code, int slot, ByteOrder order, String section) {
        long at = (long) slot * SLOT_SIZE;
        if (slot < 0 || at + SLOT_SIZE > code.length) {
            throw new InvalidInstructionException(section, at, "slot " + slot + " is past the end of the code ("
                    + code.length + " bytes)");
        }
        Raw raw = read(code, (int) at, order);
        Decoding d = new Decoding(raw, section, at);
        Instruction instruction = switch (raw.opcode & 0x07) {
            case LD -> decodeLd(d, code, slot, order);
            case LDX -> decodeLdx(d);
            case ST -> decodeSt(d);
            case STX -> decodeStx(d);
            case ALU -> decodeAlu(d, Width.W32);
            case ALU64 -> decodeAlu(d, Width.W64);
            case JMP -> decodeJmp(d);
            case JMP32 -> decodeJmp32(d);
            default -> throw new AssertionError("three bits hold eight classes");
        };
        return instruction;
    }

    private static Raw read(byte[] code, int at, ByteOrder order) {
        int regs = code[at + 1] & 0xff;
        boolean little = order == ByteOrder.LITTLE_ENDIAN;
        int dst = little ? regs & 0x0f : regs >>> 4;
        int src = little ? regs >>> 4 : regs & 0x0f;
        int off;
        int imm;
        if (little) {
            off = (short) ((code[at + 2] & 0xff) | (code[at + 3] << 8));
            imm = (code[at + 4] & 0xff) | (code[at + 5] & 0xff) << 8 | (code[at + 6] & 0xff) << 16
                    | (code[at + 7] & 0xff) << 24;
        } else {
            off = (short) ((code[at + 2] << 8) | (code[at + 3] & 0xff));
            imm = (code[at + 4] & 0xff) << 24 | (code[at + 5] & 0xff) << 16 | (code[at + 6] & 0xff) << 8
                    | (code[at + 7] & 0xff);
        }
        return new Raw(code[at] & 0xff, dst, src, off, imm);
    }

    /** One slot being decoded, with the checks that name it in errors. */
    private record Decoding(Raw raw, String section, long at) {
        InvalidInstructionException fail(String problem) {
            return new InvalidInstructionException(section, at, String.format("opcode 0x%02x: %s", raw.opcode,
                    problem));
        }

        InvalidInstructionException unknown() {
            return new InvalidInstructionException(section, at, String.format("unknown opcode 0x%02x",
                    raw.opcode));
        }

        Register dst() {
            return register("destination", raw.dst);
        }

        Register src() {
            return register("source", raw.src);
        }

        private Register register(String which, int number) {
            if (!Register.exists(number)) {
                throw fail(which + " register field is " + number + "; registers are r0 to r10");
            }
            return Register.of(number);
        }

        void zeroDst() {
            zero("destination register", raw.dst);
        }

        void zeroSrc() {
            zero("source register", raw.src);
        }

        void zeroOff() {
            zero("offset", raw.off);
        }

        void zeroImm() {
            zero("immediate", raw.imm);
        }

        private void zero(String field, int value) {
            if (value != 0) {
                throw fail(field + " must be 0 but is " + value);
            }
        }
    }

    private static Instruction decodeLd(Decoding d, byte[] code, int slot, ByteOrder order) {
        int opcode = d.raw.opcode;
        int mode = opcode & 0xe0;
        Size size = Size.ofOpcode(opcode);
        if (mode == MODE_IMM && size == Size.DW) {
            d.zeroOff();
            Pseudo pseudo = Pseudo.of(d.raw.src);
            if (pseudo == null) {
                throw d.fail("64-bit immediate load with unknown pseudo source " + d.raw.src);
            }
            Register dst = d.dst();
            long next = d.at + SLOT_SIZE;
            if (next + SLOT_SIZE > code.length) {
                throw d.fail("64-bit immediate load is truncated: its second slot is missing");
            }
            Raw second = read(code, (int) next, order);
            Decoding d2 = new Decoding(second, d.section, next);
            if (second.opcode != 0) {
                throw new InvalidInstructionException(d.section, next, String.format(
                        "second slot of a 64-bit immediate load must have opcode 0, not 0x%02x", second.opcode));
            }
            d2.zeroDst();
            d2.zeroSrc();
            d2.zeroOff();
            return new LoadImm64(dst, pseudo, d.raw.imm, second.imm);
        }
        if ((mode == MODE_ABS || mode == MODE_IND) && size != Size.DW) {
            d.zeroDst();
            d.zeroOff();
            if (mode == MODE_ABS) {
                d.zeroSrc();
                return new LoadAbsolute(size, d.raw.imm);
            }
            return new LoadIndirect(size, d.src(), d.raw.imm);
        }
        throw d.unknown();
    }

    private static Instruction decodeLdx(Decoding d) {
        int mode = d.raw.opcode & 0xe0;
        Size size = Size.ofOpcode(d.raw.opcode);
        if (mode == MODE_MEM) {
            d.zeroImm();
            return new Load(size, d.dst(), d.src(), d.raw.off);
        }
        if (mode == MODE_MEMSX && size != Size.DW) {
            d.zeroImm();
            return new LoadSigned(size, d.dst(), d.src(), d.raw.off);
        }
        throw d.unknown();
    }

    private static Instruction decodeSt(Decoding d) {
        if ((d.raw.opcode & 0xe0) != MODE_MEM) {
            throw d.unknown();
        }
        d.zeroSrc();
        return new StoreImm(Size.ofOpcode(d.raw.opcode), d.dst(), d.raw.off, d.raw.imm);
    }

    private static Instruction decodeStx(Decoding d) {
        int mode = d.raw.opcode & 0xe0;
        Size size = Size.ofOpcode(d.raw.opcode);
        if (mode == MODE_MEM) {
            d.zeroImm();
            return new Store(size, d.dst(), d.src(), d.raw.off);
        }
        if (mode == MODE_ATOMIC && (size == Size.W || size == Size.DW)) {
            int imm = d.raw.imm;
            AtomicOp op = AtomicOp.of(imm & ~AtomicOp.FETCH);
            boolean fetch = (imm & AtomicOp.FETCH) != 0;
            if (op == null || (!fetch && !op.fetchOptional())) {
                throw d.fail(String.format("unknown atomic operation 0x%x", imm));
            }
            return new Atomic(size, op, fetch, d.dst(), d.src(), d.raw.off);
        }
        throw d.unknown();
    }

    private static Instruction decodeAlu(Decoding d, Width width) {
        Raw raw = d.raw;
        int op = raw.opcode & 0xf0;
        boolean x = (raw.opcode & SRC_X) != 0;
        switch (op) {
            case OP_NEG -> {
                if (x) {
                    throw d.unknown();
                }
                d.zeroSrc();
                d.zeroOff();
                d.zeroImm();
                return new Neg(width, d.dst());
            }
            case OP_END -> {
                SwapKind kind = width == Width.W32 ? (x ? SwapKind.BE : SwapKind.LE) : (x ? null : SwapKind.BSWAP);
                if (kind == null) {
                    throw d.unknown();
                }
                d.zeroSrc();
                d.zeroOff();
                if (raw.imm != 16 && raw.imm != 32 && raw.imm != 64) {
                    throw d.fail("byte swap width must be 16, 32 or 64, not " + raw.imm);
                }
                return new ByteSwap(kind, d.dst(), raw.imm);
            }
            case OP_MOV -> {
                if (x && raw.off == ADDR_SPACE_CAST && width == Width.W64) {
                    return new AddrSpaceCast(d.dst(), d.src(), raw.imm);
                }
                if (x && (raw.off == 8 || raw.off == 16 || (raw.off == 32 && width == Width.W64))) {
                    d.zeroImm();
                    return new MovSx(width, d.dst(), d.src(), raw.off);
                }
            }
            default -> {
                // the binary operations below
            }
        }
        AluOp aluOp = AluOp.of(op, 0);
        if (aluOp == null) {
            throw d.unknown();
        }
        AluOp withOffset = AluOp.of(op, raw.off);
        if (withOffset == null) {
            throw d.fail("offset must be 0" + (op == AluOp.DIV.code() || op == AluOp.MOD.code()
                    ? " or 1 (signed)" : op == OP_MOV && x ? " or a sign-extension width" : "") + " but is "
                    + raw.off);
        }
        if (x) {
            d.zeroImm();
            return new AluReg(width, withOffset, d.dst(), d.src());
        }
        d.zeroSrc();
        return new AluImm(width, withOffset, d.dst(), raw.imm);
    }

    private static Instruction decodeJmp(Decoding d) {
        Raw raw = d.raw;
        int op = raw.opcode & 0xf0;
        boolean x = (raw.opcode & SRC_X) != 0;
        switch (op) {
            case OP_JA -> {
                if (x) {
                    throw d.unknown();
                }
                d.zeroDst();
                d.zeroSrc();
                d.zeroImm();
                return new Goto(raw.off);
            }
            case OP_CALL -> {
                if (x) {
                    d.zeroSrc();
                    d.zeroOff();
                    d.zeroImm();
                    return new CallRegister(d.dst());
                }
                d.zeroDst();
                switch (raw.src) {
                    case CALL_HELPER -> {
                        d.zeroOff();
                        return new CallHelper(raw.imm);
                    }
                    case CALL_LOCAL -> {
                        d.zeroOff();
                        return new CallLocal(raw.imm);
                    }
                    case CALL_KFUNC -> {
                        return new CallKfunc(raw.imm, raw.off);
                    }
                    default -> throw d.fail("call with unknown source register value " + raw.src
                            + " (0 helper, 1 bpf-to-bpf, 2 kfunc)");
                }
            }
            case OP_EXIT -> {
                if (x) {
                    throw d.unknown();
                }
                d.zeroDst();
                d.zeroSrc();
                d.zeroOff();
                d.zeroImm();
                return Exit.INSTANCE;
            }
            case OP_JCOND -> {
                if (x) {
                    throw d.unknown();
                }
                d.zeroDst();
                d.zeroSrc();
                d.zeroImm();
                return new MayGoto(raw.off);
            }
            default -> {
                return decodeConditional(d, Width.W64);
            }
        }
    }

    private static Instruction decodeJmp32(Decoding d) {
        Raw raw = d.raw;
        if (raw.opcode == (OP_JA | JMP32)) {
            d.zeroDst();
            d.zeroSrc();
            d.zeroOff();
            return new GotoLong(raw.imm);
        }
        return decodeConditional(d, Width.W32);
    }

    private static Instruction decodeConditional(Decoding d, Width width) {
        Raw raw = d.raw;
        JumpCondition condition = JumpCondition.of(raw.opcode & 0xf0);
        if (condition == null) {
            throw d.unknown();
        }
        if ((raw.opcode & SRC_X) != 0) {
            d.zeroImm();
            return new JumpReg(width, condition, d.dst(), d.src(), raw.off);
        }
        d.zeroSrc();
        return new JumpImm(width, condition, d.dst(), raw.imm, raw.off);
    }

    /** Encodes instructions one after the other. */
    public static byte[] encode(List<? extends Instruction> instructions, ByteOrder order) {
        int slots = 0;
        for (Instruction i : instructions) {
            slots += i.slots();
        }
        byte[] out = new byte[slots * SLOT_SIZE];
        int at = 0;
        for (Instruction i : instructions) {
            at = encodeInto(i, order, out, at);
        }
        return out;
    }

    /** Encodes one instruction (8 bytes, or 16 for a {@link LoadImm64}). */
    public static byte[] encode(Instruction instruction, ByteOrder order) {
        byte[] out = new byte[instruction.slots() * SLOT_SIZE];
        encodeInto(instruction, order, out, 0);
        return out;
    }

    private static int encodeInto(Instruction instruction, ByteOrder order, byte[] out, int at) {
        Raw raw = switch (instruction) {
            case AluImm a -> new Raw(a.op().code() | aluClass(a.width()), a.dst().number(), 0, a.op().offset(),
                    a.imm());
            case AluReg a -> new Raw(a.op().code() | SRC_X | aluClass(a.width()), a.dst().number(),
                    a.src().number(), a.op().offset(), 0);
            case Neg n -> new Raw(OP_NEG | aluClass(n.width()), n.dst().number(), 0, 0, 0);
            case MovSx m -> new Raw(OP_MOV | SRC_X | aluClass(m.width()), m.dst().number(), m.src().number(),
                    m.bits(), 0);
            case AddrSpaceCast c -> new Raw(OP_MOV | SRC_X | ALU64, c.dst().number(), c.src().number(),
                    ADDR_SPACE_CAST, c.imm());
            case ByteSwap s -> new Raw(s.kind().opcode(), s.dst().number(), 0, 0, s.bits());
            case Goto g -> new Raw(OP_JA | JMP, 0, 0, g.offset(), 0);
            case GotoLong g -> new Raw(OP_JA | JMP32, 0, 0, 0, g.offset());
            case MayGoto m -> new Raw(OP_JCOND | JMP, 0, 0, m.offset(), 0);
            case JumpImm j -> new Raw(j.condition().code() | jmpClass(j.width()), j.dst().number(), 0, j.offset(),
                    j.imm());
            case JumpReg j -> new Raw(j.condition().code() | SRC_X | jmpClass(j.width()), j.dst().number(),
                    j.src().number(), j.offset(), 0);
            case CallHelper c -> new Raw(OP_CALL | JMP, 0, CALL_HELPER, 0, c.helper());
            case CallLocal c -> new Raw(OP_CALL | JMP, 0, CALL_LOCAL, 0, c.offset());
            case CallKfunc c -> new Raw(OP_CALL | JMP, 0, CALL_KFUNC, c.moduleIndex(), c.btfId());
            case CallRegister c -> new Raw(OP_CALL | SRC_X | JMP, c.register().number(), 0, 0, 0);
            case Exit e -> new Raw(OP_EXIT | JMP, 0, 0, 0, 0);
            case LoadImm64 l -> {
                write(new Raw(0, 0, 0, 0, l.nextImm()), order, out, at + SLOT_SIZE);
                yield new Raw(MODE_IMM | Size.DW.code() | LD, l.dst().number(), l.pseudo().code(), 0, l.imm());
            }
            case LoadAbsolute l -> new Raw(MODE_ABS | l.size().code() | LD, 0, 0, 0, l.imm());
            case LoadIndirect l -> new Raw(MODE_IND | l.size().code() | LD, 0, l.src().number(), 0, l.imm());
            case Load l -> new Raw(MODE_MEM | l.size().code() | LDX, l.dst().number(), l.src().number(),
                    l.offset(), 0);
            case LoadSigned l -> new Raw(MODE_MEMSX | l.size().code() | LDX, l.dst().number(), l.src().number(),
                    l.offset(), 0);
            case StoreImm s -> new Raw(MODE_MEM | s.size().code() | ST, s.dst().number(), 0, s.offset(), s.imm());
            case Store s -> new Raw(MODE_MEM | s.size().code() | STX, s.dst().number(), s.src().number(),
                    s.offset(), 0);
            case Atomic a -> new Raw(MODE_ATOMIC | a.size().code() | STX, a.dst().number(), a.src().number(),
                    a.offset(), a.imm());
        };
        write(raw, order, out, at);
        return at + instruction.slots() * SLOT_SIZE;
    }

    private static int aluClass(Width width) {
        return width == Width.W64 ? ALU64 : ALU;
    }

    private static int jmpClass(Width width) {
        return width == Width.W64 ? JMP : JMP32;
    }

    private static void write(Raw raw, ByteOrder order, byte[] out, int at) {
        out[at] = (byte) raw.opcode;
        if (order == ByteOrder.LITTLE_ENDIAN) {
            out[at + 1] = (byte) (raw.src << 4 | raw.dst);
            out[at + 2] = (byte) raw.off;
            out[at + 3] = (byte) (raw.off >> 8);
            out[at + 4] = (byte) raw.imm;
            out[at + 5] = (byte) (raw.imm >> 8);
            out[at + 6] = (byte) (raw.imm >> 16);
            out[at + 7] = (byte) (raw.imm >> 24);
        } else {
            out[at + 1] = (byte) (raw.dst << 4 | raw.src);
            out[at + 2] = (byte) (raw.off >> 8);
            out[at + 3] = (byte) raw.off;
            out[at + 4] = (byte) (raw.imm >> 24);
            out[at + 5] = (byte) (raw.imm >> 16);
            out[at + 6] = (byte) (raw.imm >> 8);
            out[at + 7] = (byte) raw.imm;
        }
    }
}
