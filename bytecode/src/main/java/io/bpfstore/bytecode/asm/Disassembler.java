package io.bpfstore.bytecode.asm;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Prints instructions as {@code llvm-objdump-19 -d} does: LLVM's C-like BPF assembly with hexadecimal
 * immediates ({@code r0 = *(u32 *)(r1 + 0x4)}, {@code if r1 > 0x5 goto +0x3}, {@code call 0x1}), and whole
 * sections as its listing lines ({@code <slot>:\t<bytes>\t<text>}, a 64-bit immediate load showing all 16 bytes
 * on one line), with symbol headers and branch-target annotations.
 *
 * <p>llvm-objdump's output depends on the CPU it disassembles for, and the {@link Dialect} picks which one to
 * match. ISA v4 instructions (signed division, sign-extending moves and loads, {@code bswap}, {@code gotol}) print
 * the same in both; they differ only in how 32-bit sub-registers show up in loads, stores and 32-bit atomics.
 *
 * <p>llvm-objdump 14 (Debian's default {@code llvm-objdump}) differs and is not reproduced: it prints immediates,
 * offsets and jump distances in decimal ({@code r1 += 14}, {@code goto +23}), and knows no ISA v4: signed
 * division and {@code movsx} print as their unsigned/plain forms (the offset field ignored), and {@code smod},
 * {@code bswap}, {@code gotol}, sign-extending loads and {@code may_goto} print as {@code <unknown>}.
 * Both print a 64-bit immediate load on one line with all 16 bytes, and neither applies relocations without
 * {@code -r}, so map loads show as {@code r1 = 0x0 ll} and bpf-to-bpf calls as {@code call -0x1}.
 */
public final class Disassembler {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    /** Which llvm-objdump-19 configuration to reproduce. */
    public enum Dialect {
        /**
         * {@code llvm-objdump-19 -d} without options (generic CPU, no ALU32 feature): loads and stores of up to
         * 32 bits name 64-bit registers ({@code r0 = *(u32 *)...}), a 32-bit fetch-and-add prints as a plain
         * {@code lock ... +=}, and the other 32-bit atomics print as {@code <unknown>}.
         */
        GENERIC,
        /**
         * {@code llvm-objdump-19 -d --mcpu=v3} or {@code --mcpu=v4} (ALU32 feature): loads and stores of up to 32
         * bits and 32-bit atomics name sub-registers ({@code w0 = *(u32 *)...}), every atomic is printed.
         */
        ALU32
    }

    /**
     * A named offset in a code section, as llvm-objdump uses them for headers and branch annotations: function
     * and label symbols of the section, not its section symbol (STT_SECTION), which llvm-objdump ignores.
     *
     * @param name   the symbol's name
     * @param offset its value, a byte offset into the section
     */
    public record Symbol(String name, long offset) {
        /** Checks presence. */
        public Symbol {
            Objects.requireNonNull(name, "name");
        }
    }

    private final Dialect dialect;

    /** A disassembler that matches {@code dialect}. */
    public Disassembler(Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
    }

    /** The dialect this disassembler prints. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * The listing of one code section as llvm-objdump prints it after {@code Disassembly of section <name>:}:
     * for each symbol an empty line and a header such as {@code 0000000000000000 <xdp_count>:}, then one line
     * per instruction; branches carry the target's nearest preceding symbol ({@code <LBB0_6>},
     * {@code <xdp_count+0x30>}). With no symbol at offset 0 the section's name stands in for one, as in
     * llvm-objdump. Of several symbols at one offset llvm-objdump shows the greatest name; so does this.
     *
     * @param section the section's name
     * @param code    the section's bytes, unrelocated
     * @param order   the object's byte order
     * @param symbols function and label symbols of the section, in any order
     * @throws InvalidInstructionException if the code does not decode
     */
    public List<String> listing(String section, byte[] code, ByteOrder order, List<Symbol> symbols) {
        List<InstructionAt> instructions = InstructionCodec.decode(code, order, section);
        List<Symbol> sorted = new ArrayList<>(symbols);
        sorted.sort(Comparator.comparingLong(Symbol::offset).thenComparing(Symbol::name));
        if (sorted.isEmpty() || sorted.getFirst().offset() != 0) {
            sorted.addFirst(new Symbol(section, 0));
        }
        List<String> lines = new ArrayList<>();
        int next = 0;
        for (InstructionAt at : instructions) {
            long offset = at.byteOffset();
            Symbol header = null;
            while (next < sorted.size() && sorted.get(next).offset() <= offset) {
                if (sorted.get(next).offset() == offset) {
                    header = sorted.get(next);
                }
                next++;
            }
            if (header != null) {
                lines.add("");
                lines.add(String.format("%016x <%s>:", header.offset(), header.name()));
            }
            String line = line(at, order);
            if (at.instruction() instanceof Branch branch) {
                line += " " + annotation(branch.target(at.slot()) * InstructionCodec.SLOT_SIZE, sorted);
            }
            lines.add(line);
        }
        return List.copyOf(lines);
    }

    /** {@code <name>} or {@code <name+0xdisp>} for the last symbol at or before {@code target}, unsigned. */
    private static String annotation(long target, List<Symbol> sorted) {
        Symbol best = sorted.getFirst();
        for (Symbol s : sorted) {
            if (Long.compareUnsigned(s.offset(), target) <= 0) {
                best = s;
            }
        }
        long disp = target - best.offset();
        return disp == 0 ? "<" + best.name() + ">" : "<" + best.name() + "+0x" + Long.toHexString(disp) + ">";
    }

    /**
     * One listing line without branch annotation: {@code slot:\tbytes\ttext}, slot right-aligned in 8 columns.
     */
    public String line(InstructionAt at, ByteOrder order) {
        byte[] bytes = InstructionCodec.encode(at.instruction(), order);
        return String.format("%8d:\t%s\t%s", at.slot(), HEX.formatHex(bytes), text(at.instruction()));
    }

    /** The instruction's text alone, e.g. {@code r0 = *(u32 *)(r1 + 0x4)} or {@code goto +0x3}. */
    public String text(Instruction instruction) {
        return switch (instruction) {
            case AluImm a -> reg(a.width(), a.dst()) + " " + a.op().symbol() + " " + hex(a.imm());
            case AluReg a -> reg(a.width(), a.dst()) + " " + a.op().symbol() + " " + reg(a.width(), a.src());
            case Neg n -> reg(n.width(), n.dst()) + " = -" + reg(n.width(), n.dst());
            case MovSx m -> reg(m.width(), m.dst()) + " = (s" + m.bits() + ")" + reg(m.width(), m.src());
            case AddrSpaceCast c -> r(c.dst()) + " = addr_space_cast(" + r(c.src()) + ", "
                    + hex(c.dstAddressSpace()) + ", " + hex(c.srcAddressSpace()) + ")";
            case ByteSwap s -> r(s.dst()) + " = " + s.kind().mnemonic() + s.bits() + " " + r(s.dst());
            case Goto g -> "goto " + relative(g.offset());
            case GotoLong g -> "gotol " + relative(g.offset());
            case MayGoto m -> "may_goto " + relative(m.offset());
            case JumpImm j -> "if " + reg(j.width(), j.dst()) + " " + j.condition().symbol() + " " + hex(j.imm())
                    + " goto " + relative(j.offset());
            case JumpReg j -> "if " + reg(j.width(), j.dst()) + " " + j.condition().symbol() + " "
                    + reg(j.width(), j.src()) + " goto " + relative(j.offset());
            case CallHelper c -> "call " + hex(c.helper());
            case CallLocal c -> "call " + hex(c.offset());
            case CallKfunc c -> "call " + hex(c.btfId());
            case CallRegister c -> "callx " + r(c.register());
            case Exit e -> "exit";
            case LoadImm64 l -> l.pseudo() == Pseudo.NONE
                    ? r(l.dst()) + " = " + hex(l.value()) + " ll"
                    : "ld_pseudo\t" + r(l.dst()) + ", " + hex(l.pseudo().code()) + ", "
                            + hex(Integer.toUnsignedLong(l.imm()));
            case LoadAbsolute l -> "r0 = *(u" + bits(l.size()) + " *)skb[" + hex(l.imm()) + "]";
            case LoadIndirect l -> "r0 = *(u" + bits(l.size()) + " *)skb[" + r(l.src()) + "]";
            case Load l -> sub(l.size(), l.dst()) + " = *(u" + bits(l.size()) + " *)" + memory(l.src(), l.offset());
            case LoadSigned l -> r(l.dst()) + " = *(s" + bits(l.size()) + " *)" + memory(l.src(), l.offset());
            case StoreImm s -> "*(u" + bits(s.size()) + " *)" + memory(s.dst(), s.offset()) + " = " + hex(s.imm());
            case Store s -> "*(u" + bits(s.size()) + " *)" + memory(s.dst(), s.offset()) + " = "
                    + sub(s.size(), s.src());
            case Atomic a -> atomic(a);
        };
    }

    private String atomic(Atomic a) {
        boolean wide = a.size() == Size.DW;
        if (!wide && dialect == Dialect.GENERIC) {
            // Without ALU32, LLVM 19 decodes only the 32-bit add and ignores its fetch flag.
            return a.op() == AtomicOp.ADD
                    ? "lock *(u32 *)" + memory(a.dst(), a.offset()) + " += " + r(a.src())
                    : "<unknown>";
        }
        Width width = wide ? Width.W64 : Width.W32;
        String src = reg(width, a.src());
        String type = wide ? "u64" : "u32";
        String place = memory(a.dst(), a.offset());
        return switch (a.op()) {
            case XCHG -> src + " = " + (wide ? "xchg_64(" : "xchg32_32(") + place.substring(1, place.length() - 1)
                    + ", " + src + ")";
            case CMPXCHG -> reg(width, Register.R0) + " = " + (wide ? "cmpxchg_64(" : "cmpxchg32_32(")
                    + place.substring(1, place.length() - 1) + ", " + reg(width, Register.R0) + ", " + src + ")";
            default -> a.fetch()
                    ? src + " = atomic_fetch_" + a.op().word() + "((" + type + " *)" + place + ", " + src + ")"
                    : "lock *(" + type + " *)" + place + " " + a.op().symbol() + " " + src;
        };
    }

    /** A register of a load or store of {@code size}: a sub-register below 64 bits in the ALU32 dialect. */
    private String sub(Size size, Register register) {
        return dialect == Dialect.ALU32 && size != Size.DW ? "w" + register.number() : r(register);
    }

    private static String reg(Width width, Register register) {
        return (width == Width.W64 ? "r" : "w") + register.number();
    }

    private static String r(Register register) {
        return "r" + register.number();
    }

    private static int bits(Size size) {
        return size.bytes() * 8;
    }

    private static String memory(Register base, int offset) {
        return "(" + r(base) + (offset < 0 ? " - " : " + ") + "0x" + Integer.toHexString(Math.abs(offset)) + ")";
    }

    private static String relative(int offset) {
        return offset < 0 ? "-0x" + Long.toHexString(-(long) offset) : "+0x" + Integer.toHexString(offset);
    }

    private static String hex(long value) {
        return value < 0 ? "-0x" + Long.toUnsignedString(-value, 16) : "0x" + Long.toHexString(value);
    }
}
