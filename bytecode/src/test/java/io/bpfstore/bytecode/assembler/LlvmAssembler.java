package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.AddrSpaceCast;
import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.AluReg;
import io.bpfstore.bytecode.asm.Atomic;
import io.bpfstore.bytecode.asm.AtomicOp;
import io.bpfstore.bytecode.asm.Branch;
import io.bpfstore.bytecode.asm.ByteSwap;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.CallRegister;
import io.bpfstore.bytecode.asm.Exit;
import io.bpfstore.bytecode.asm.Goto;
import io.bpfstore.bytecode.asm.GotoLong;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.Load;
import io.bpfstore.bytecode.asm.LoadAbsolute;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadIndirect;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MayGoto;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Neg;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.SwapKind;
import io.bpfstore.bytecode.asm.Width;
import io.bpfstore.bytecode.assembler.ProgramBuilder.Reach;
import io.bpfstore.bytecode.assembler.ProgramBuilder.Target;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Assembles LLVM's C-like BPF assembly as {@code llvm-objdump} prints it and {@code llvm-mc} reads it
 * ({@code r0 = *(u32 *)(r1 + 0x4)}, {@code if r1 > 0x5 goto +0x3}, {@code r2 = 0x1234 ll}), together with the
 * variant the PREVAIL verifier's tests are written in ({@code <label>:} labels, {@code ;} comments,
 * {@code r2 s8= r1}, {@code lock *(u32 *)(r2 + 4) += r1 fetch}, {@code if r1 &== 4 goto <out>},
 * {@code r1 = map_fd 1}).
 *
 * <p>Everything {@link io.bpfstore.bytecode.asm.Disassembler#text} prints is accepted (but the {@code <unknown>}
 * its GENERIC dialect prints, as llvm-objdump does, for 32-bit atomics without ALU32), in llvm-objdump-19's
 * hexadecimal style and in the decimal style of older llvm-objdump, so disassembling and assembling again gives
 * the same bytes wherever the printed text determines them (see the package documentation for where it does
 * not). A branch target printed by a listing ({@code goto +0x3 <f+0x78>}) is read from the number; the
 * annotation is ignored.
 *
 * <p>PREVAIL's pseudo-instruction {@code assume}, its negated bit test {@code &!=} and its 32-bit
 * {@code w2 s32= r2} have no eBPF encoding and are rejected with an {@link AssemblyException} saying so;
 * {@link PrevailAssembler} reads them.
 */
public final class LlvmAssembler {
    private static final Map<String, AluOp> ALU = Mnemonics.byKey(AluOp.values(), AluOp::symbol);

    /** Conditions, longest first so that {@code <=} is not read as {@code <}; {@code &==} is LLVM's other bit test. */
    private static final List<Map.Entry<String, JumpCondition>> CONDITIONS = Stream.concat(
                    Stream.of(Map.entry("&==", JumpCondition.SET)),
                    Arrays.stream(JumpCondition.values()).map(c -> Map.entry(c.symbol(), c)))
            .sorted(Comparator.comparingInt(e -> -e.getKey().length()))
            .toList();

    private static final Map<String, AtomicOp> LOCK_OPS = Map.of("+=", AtomicOp.ADD, "|=", AtomicOp.OR,
            "&=", AtomicOp.AND, "^=", AtomicOp.XOR, "x=", AtomicOp.XCHG, "cx=", AtomicOp.CMPXCHG);

    private static final Map<String, AtomicOp> FETCH_WORDS = Mnemonics.lowerCase("",
            Arrays.stream(AtomicOp.values()).filter(AtomicOp::fetchOptional).toArray(AtomicOp[]::new));

    private LlvmAssembler() {
    }

    /**
     * Assembles {@code text}: one instruction per line, optionally preceded by a label definition
     * ({@code name:} or {@code <name>:}); {@code ;} and {@code #} start comments.
     *
     * @param source name of the text for error messages
     * @param text   the assembly, lines separated by {@code \n}
     * @return the instructions in order
     * @throws AssemblyException naming line and column of the first fault
     */
    public static List<Instruction> assemble(String source, String text) {
        return parse(source, text, false).stream()
                .map(s -> ((PrevailStatement.Machine) s).instruction()).toList();
    }

    /**
     * Where statements go: instructions are wrapped, and PREVAIL's forms without encoding are accepted only when
     * reading for {@link PrevailAssembler}.
     */
    private record Emitter(ProgramBuilder<PrevailStatement> builder, boolean prevail) {
        void add(Instruction instruction) {
            builder.add(new PrevailStatement.Machine(instruction));
        }

        void add(Target target, Reach reach, IntFunction<Instruction> make) {
            builder.add(target, reach, offset -> new PrevailStatement.Machine(make.apply(offset)));
        }

        void label(String name, int line, int column) {
            builder.label(name, line, column);
        }
    }

    /** Reads {@code text}; with {@code prevail}, PREVAIL's forms without encoding become their statements. */
    static List<PrevailStatement> parse(String source, String text, boolean prevail) {
        Objects.requireNonNull(source, "source");
        Emitter program = new Emitter(new ProgramBuilder<>(source, PrevailStatement::slots), prevail);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Cursor c = new Cursor(source, i + 1, stripComment(lines[i]));
            if (c.atEnd()) {
                continue;
            }
            label(c, program);
            if (c.atEnd()) {
                continue;
            }
            statement(c, program);
            c.expectEnd();
        }
        return program.builder().build();
    }

    private static String stripComment(String line) {
        int end = line.length();
        int semicolon = line.indexOf(';');
        int hash = line.indexOf('#');
        if (semicolon >= 0) {
            end = semicolon;
        }
        if (hash >= 0 && hash < end) {
            end = hash;
        }
        return line.substring(0, end);
    }

    /** A leading {@code name:} or {@code <name>:}, if any. */
    private static void label(Cursor c, Emitter program) {
        int column = c.column();
        boolean bracketed = c.accept("<");
        String name = c.word();
        if (!name.isEmpty() && !Character.isDigit(name.charAt(0)) && (!bracketed || c.accept(">"))
                && c.accept(":")) {
            program.label(name, c.line(), column);
            return;
        }
        c.reset(column);
    }

    private static void statement(Cursor c, Emitter program) {
        int column = c.column();
        if (c.peek() == '*') {
            store(c, program);
            return;
        }
        String word = c.word();
        switch (word) {
            case "exit" -> program.add(Exit.INSTANCE);
            case "call" -> call(c, program);
            case "callx" -> program.add(new CallRegister(register(c).register()));
            case "goto" -> program.add(target(c), Reach.OFFSET16, Goto::new);
            case "gotol" -> program.add(target(c), Reach.IMM32, GotoLong::new);
            case "may_goto" -> program.add(target(c), Reach.OFFSET16, MayGoto::new);
            case "if" -> conditional(c, program);
            case "lock" -> lock(c, program);
            case "ld_pseudo" -> pseudo(c, program);
            case "assume" -> assume(c, program, column);
            default -> {
                c.reset(column);
                if (isRegister(word)) {
                    assignment(c, program);
                } else {
                    throw c.errorAt(column, word.isEmpty()
                            ? "expected an instruction but found " + c.rest()
                            : "unknown instruction '" + word + "'");
                }
            }
        }
    }

    /** {@code dst <op>= ...}: everything that starts with a register. */
    private static void assignment(Cursor c, Emitter program) {
        Reg dst = register(c);
        int opColumn = c.column();
        String op = operator(c);
        if (op.equals("=")) {
            move(c, dst, program);
            return;
        }
        AluOp alu = ALU.get(op);
        if (alu != null) {
            if (isRegister(peekWord(c))) {
                program.add(new AluReg(dst.width(), alu, dst.register(), register(c).register()));
            } else {
                program.add(new AluImm(dst.width(), alu, dst.register(), imm32(c)));
            }
            return;
        }
        int bits = switch (op) {
            case "s8=" -> 8;
            case "s16=" -> 16;
            case "s32=" -> 32;
            default -> throw c.errorAt(opColumn, "unknown operator '" + op + "'");
        };
        Register src = register(c).register();
        if (bits == 32 && dst.width() == Width.W32) {
            if (!program.prevail()) {
                throw c.errorAt(opColumn, "a 32-bit sign extension into a 32-bit register (PREVAIL's 'w s32=') has"
                        + " no eBPF encoding");
            }
            program.builder().add(new PrevailStatement.SignExtend32(dst.register(), src));
            return;
        }
        program.add(new MovSx(dst.width(), dst.register(), src, bits));
    }

    /** Everything of the form {@code dst = ...}. */
    private static void move(Cursor c, Reg dst, Emitter program) {
        int column = c.column();
        if (c.lookingAt("*(")) {
            load(c, dst, program);
            return;
        }
        if (c.accept("(")) {
            c.expect("s");
            Cursor.Number n = c.number();
            int bits = n.value().bitLength() < 8 ? n.value().intValue() : -1;
            c.expect(")");
            Reg src = register(c);
            if (bits != 8 && bits != 16 && !(bits == 32 && dst.width() == Width.W64)) {
                throw c.errorAt(column, "cannot sign-extend from " + n.value() + " bits into " + dst.name());
            }
            program.add(new MovSx(dst.width(), dst.register(), src.register(), bits));
            return;
        }
        if (c.peek() == '-' && !c.atNumber()) {
            c.expect("-");
            Reg operand = register(c);
            if (operand.register() != dst.register()) {
                throw c.errorAt(column, "negation must name the same register on both sides");
            }
            program.add(new Neg(dst.width(), dst.register()));
            return;
        }
        if (c.atNumber()) {
            Cursor.Number n = c.number();
            if (c.acceptWord("ll")) {
                program.add(LoadImm64.of(dst.register(), c.imm64(n)));
            } else {
                program.add(new AluImm(dst.width(), AluOp.MOV, dst.register(), c.imm32(n, true)));
            }
            return;
        }
        String word = peekWord(c);
        if (isRegister(word)) {
            program.add(new AluReg(dst.width(), AluOp.MOV, dst.register(), register(c).register()));
            return;
        }
        c.word();
        Instruction special = switch (word) {
            case "be16", "be32", "be64", "le16", "le32", "le64", "bswap16", "bswap32", "bswap64",
                 "swap16", "swap32", "swap64" -> swap(c, word, dst, column);
            case "map_fd" -> new LoadImm64(dst.register(), Pseudo.MAP_FD, imm32(c), 0);
            case "map_by_idx" -> {
                c.expect("(");
                int index = imm32(c);
                c.expect(")");
                yield new LoadImm64(dst.register(), Pseudo.MAP_IDX, index, 0);
            }
            case "map_val" -> {
                c.expect("(");
                int fd = imm32(c);
                c.expect(")");
                c.expect("+");
                yield new LoadImm64(dst.register(), Pseudo.MAP_VALUE, fd, imm32(c));
            }
            case "mva" -> {
                c.expect("(");
                if (!c.acceptWord("map_by_idx")) {
                    throw c.error("expected map_by_idx but found " + c.rest());
                }
                c.expect("(");
                int index = imm32(c);
                c.expect(")");
                c.expect(")");
                c.expect("+");
                yield new LoadImm64(dst.register(), Pseudo.MAP_IDX_VALUE, index, imm32(c));
            }
            case "addr_space_cast" -> {
                c.expect("(");
                Reg src = register(c);
                c.expect(",");
                int to = imm32(c);
                c.expect(",");
                int from = imm32(c);
                c.expect(")");
                if ((to & ~0xffff) != 0 || (from & ~0xffff) != 0) {
                    throw c.errorAt(column, "address spaces must fit 16 bits");
                }
                yield new AddrSpaceCast(dst.register(), src.register(), to << 16 | from);
            }
            case "atomic_fetch_add", "atomic_fetch_or", "atomic_fetch_and", "atomic_fetch_xor" ->
                    fetch(c, dst, FETCH_WORDS.get(word.substring("atomic_fetch_".length())), column);
            case "xchg_64", "xchg32_32" -> exchange(c, dst, word.equals("xchg_64") ? Size.DW : Size.W, column);
            case "cmpxchg_64", "cmpxchg32_32" ->
                    compareExchange(c, dst, word.equals("cmpxchg_64") ? Size.DW : Size.W, column);
            default -> throw c.errorAt(column, word.isEmpty()
                    ? "expected a register, a number or an expression but found " + c.rest()
                    : "unknown operand '" + word + "'");
        };
        program.add(special);
    }

    private static Instruction swap(Cursor c, String word, Reg dst, int column) {
        SwapKind kind = word.startsWith("be") ? SwapKind.BE : word.startsWith("le") ? SwapKind.LE : SwapKind.BSWAP;
        int bits = Integer.parseInt(word.substring(word.length() - 2));
        Reg operand = register(c);
        if (operand.register() != dst.register()) {
            throw c.errorAt(column, word + " must name the same register on both sides");
        }
        return new ByteSwap(kind, dst.register(), bits);
    }

    /** {@code rS = atomic_fetch_<op>((uN *)(rD + off), rS)}. */
    private static Instruction fetch(Cursor c, Reg dst, AtomicOp op, int column) {
        c.expect("(");
        c.expect("(");
        Size size = sizeType(c, 'u');
        c.expect("*");
        c.expect(")");
        Memory m = memory(c);
        c.expect(",");
        Reg src = register(c);
        c.expect(")");
        sameRegister(c, dst, src, column);
        return atomic(c, size, op, true, m, src, column);
    }

    /** {@code rS = xchg_64(rD + off, rS)}. */
    private static Instruction exchange(Cursor c, Reg dst, Size size, int column) {
        c.expect("(");
        Memory m = address(c);
        c.expect(",");
        Reg src = register(c);
        c.expect(")");
        sameRegister(c, dst, src, column);
        return atomic(c, size, AtomicOp.XCHG, true, m, src, column);
    }

    /** {@code r0 = cmpxchg_64(rD + off, r0, rS)}. */
    private static Instruction compareExchange(Cursor c, Reg dst, Size size, int column) {
        c.expect("(");
        Memory m = address(c);
        c.expect(",");
        Reg r0 = register(c);
        c.expect(",");
        Reg src = register(c);
        c.expect(")");
        if (dst.register() != Register.R0 || r0.register() != Register.R0) {
            throw c.errorAt(column, "cmpxchg compares with and returns into r0");
        }
        return atomic(c, size, AtomicOp.CMPXCHG, true, m, src, column);
    }

    private static void sameRegister(Cursor c, Reg a, Reg b, int column) {
        if (a.register() != b.register()) {
            throw c.errorAt(column, "the atomic operation returns into its source register: " + a.name()
                    + " and " + b.name() + " must be the same");
        }
    }

    private static Atomic atomic(Cursor c, Size size, AtomicOp op, boolean fetch, Memory m, Reg src, int column) {
        if (size != Size.W && size != Size.DW) {
            throw c.errorAt(column, "atomic operations exist on u32 and u64 only");
        }
        subRegister(c, src, size, column);
        return new Atomic(size, op, fetch, m.base(), src.register(), m.offset());
    }

    /** {@code *(uN *)}: the pointer cast in front of a memory operand; returns the access size. */
    private static Size pointerCast(Cursor c) {
        c.expect("*");
        c.expect("(");
        Size size = sizeType(c, 'u');
        c.expect("*");
        c.expect(")");
        return size;
    }

    /** {@code lock *(uN *)(rD + off) <op>= rS [fetch]}. */
    private static void lock(Cursor c, Emitter program) {
        int column = c.column();
        Size size = pointerCast(c);
        Memory m = memory(c);
        int opColumn = c.column();
        String op = operator(c);
        AtomicOp atomic = LOCK_OPS.get(op);
        if (atomic == null) {
            throw c.errorAt(opColumn, "unknown atomic operator '" + op + "'");
        }
        Reg src = register(c);
        boolean fetch = c.acceptWord("fetch") || !atomic.fetchOptional();
        program.add(atomic(c, size, atomic, fetch, m, src, column));
    }

    /** {@code dst = *(uN *)(src + off)}, {@code dst = *(sN *)(...)}, {@code r0 = *(uN *)skb[...]}. */
    private static void load(Cursor c, Reg dst, Emitter program) {
        int column = c.column();
        c.expect("*");
        c.expect("(");
        char sign = c.peek();
        if (sign != 'u' && sign != 's') {
            throw c.error("expected u8, u16, u32, u64, s8, s16 or s32 but found " + c.rest());
        }
        Size size = sizeType(c, sign);
        c.expect("*");
        c.expect(")");
        if (c.acceptWord("skb")) {
            if (sign != 'u' || size == Size.DW) {
                throw c.errorAt(column, "packet loads read u8, u16 or u32");
            }
            if (dst.register() != Register.R0 || dst.width() != Width.W64) {
                throw c.errorAt(column, "packet loads always write r0");
            }
            c.expect("[");
            if (isRegister(peekWord(c))) {
                Register src = register(c).register();
                int imm = 0;
                if (c.peek() == '+' || c.peek() == '-') {
                    boolean negative = c.accept("-");
                    if (!negative) {
                        c.expect("+");
                    }
                    int value = imm32(c);
                    imm = negative ? -value : value;
                }
                c.expect("]");
                program.add(new LoadIndirect(size, src, imm));
            } else {
                int imm = imm32(c);
                c.expect("]");
                program.add(new LoadAbsolute(size, imm));
            }
            return;
        }
        Memory m = memory(c);
        if (sign == 's') {
            if (dst.width() != Width.W64) {
                throw c.errorAt(column, "sign-extending loads write a 64-bit register");
            }
            program.add(new LoadSigned(size, dst.register(), m.base(), m.offset()));
        } else {
            subRegister(c, dst, size, column);
            program.add(new Load(size, dst.register(), m.base(), m.offset()));
        }
    }

    /** {@code *(uN *)(dst + off) = src} or {@code = imm}. */
    private static void store(Cursor c, Emitter program) {
        int column = c.column();
        Size size = pointerCast(c);
        Memory m = memory(c);
        c.expect("=");
        if (isRegister(peekWord(c))) {
            Reg src = register(c);
            subRegister(c, src, size, column);
            program.add(new Store(size, m.base(), src.register(), m.offset()));
        } else {
            program.add(new StoreImm(size, m.base(), m.offset(), imm32(c)));
        }
    }

    /** A {@code wN} register is allowed for accesses below 64 bits (LLVM's ALU32 style), not for u64. */
    private static void subRegister(Cursor c, Reg r, Size size, int column) {
        if (r.width() == Width.W32 && size == Size.DW) {
            throw c.errorAt(column, "a 64-bit access needs a 64-bit register, not " + r.name());
        }
    }

    /** {@code if dst <cond> src|imm goto target}. */
    private static void conditional(Cursor c, Emitter program) {
        Reg dst = register(c);
        if (c.lookingAt("&!=")) {
            int opColumn = c.column();
            if (!program.prevail()) {
                throw c.errorAt(opColumn, "PREVAIL's '&!=' (bits not set) condition has no eBPF encoding");
            }
            c.expect("&!=");
            IntFunction<Branch> test = comparison(c, dst, JumpCondition.SET);
            expectGoto(c);
            program.builder().add(target(c), Reach.OFFSET16,
                    offset -> new PrevailStatement.JumpUnless(test.apply(offset)));
            return;
        }
        IntFunction<Branch> jump = comparison(c, dst, condition(c));
        expectGoto(c);
        program.add(target(c), Reach.OFFSET16, jump::apply);
    }

    /** {@code assume <dst> <cond> <src|imm>}, PREVAIL's pseudo-instruction. */
    private static void assume(Cursor c, Emitter program, int column) {
        if (!program.prevail()) {
            throw c.errorAt(column, "'assume' is a pseudo-instruction of the PREVAIL verifier and has no eBPF"
                    + " encoding");
        }
        Reg dst = register(c);
        boolean negated = c.accept("&!=");
        JumpCondition condition = negated ? JumpCondition.SET : condition(c);
        program.builder().add(new PrevailStatement.Assume(comparison(c, dst, condition).apply(0), negated));
    }

    /** The comparison operator, longest match first. */
    private static JumpCondition condition(Cursor c) {
        int column = c.column();
        for (Map.Entry<String, JumpCondition> e : CONDITIONS) {
            if (c.accept(e.getKey())) {
                return e.getValue();
            }
        }
        throw c.errorAt(column,
                "expected a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &) but found " + c.rest());
    }

    /** The right operand of a comparison: a jump by the given offset comparing {@code dst} with it. */
    private static IntFunction<Branch> comparison(Cursor c, Reg dst, JumpCondition condition) {
        if (isRegister(peekWord(c))) {
            Register src = register(c).register();
            return offset -> new JumpReg(dst.width(), condition, dst.register(), src, offset);
        }
        int imm = imm32(c);
        return offset -> new JumpImm(dst.width(), condition, dst.register(), imm, offset);
    }

    private static void expectGoto(Cursor c) {
        if (!c.acceptWord("goto")) {
            throw c.error("expected 'goto' but found " + c.rest());
        }
    }

    /** {@code call N} (helper), {@code call <label>} or {@code call label} (bpf-to-bpf). */
    private static void call(Cursor c, Emitter program) {
        if (c.atNumber()) {
            program.add(new CallHelper(imm32(c)));
            return;
        }
        program.add(target(c), Reach.IMM32, CallLocal::new);
    }

    /** {@code ld_pseudo rD, pseudo, imm[, nextImm]}: the fourth operand is this assembler's extension. */
    private static void pseudo(Cursor c, Emitter program) {
        Reg dst = register(c);
        c.expect(",");
        Cursor.Number kind = c.number();
        if (kind.value().signum() < 0 || kind.value().intValue() >= Pseudo.values().length
                || kind.value().bitLength() > 31) {
            throw c.errorAt(kind.column(), "unknown pseudo source " + kind.value() + " (0 to "
                    + (Pseudo.values().length - 1) + ")");
        }
        c.expect(",");
        int imm = imm32(c);
        int next = c.accept(",") ? imm32(c) : 0;
        program.add(new LoadImm64(dst.register(), Pseudo.values()[kind.value().intValue()], imm, next));
    }

    /** A label ({@code <name>} or {@code name}) or a signed distance, optionally followed by an annotation. */
    private static Target target(Cursor c) {
        int column = c.column();
        if (c.atNumber()) {
            Cursor.Number n = c.number();
            if (c.peek() == '<') {
                skipAnnotation(c);
            }
            return Target.relative(c.signed32(n, "jump offset"), c.line(), column);
        }
        boolean bracketed = c.accept("<");
        String name = c.word();
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            throw c.errorAt(column, "expected a label or a signed offset (+N, -N) but found " + c.rest());
        }
        if (bracketed) {
            c.expect(">");
        }
        return Target.label(name, c.line(), column);
    }

    private static void skipAnnotation(Cursor c) {
        c.expect("<");
        while (!c.atEnd() && !c.accept(">")) {
            c.reset(c.column() + 1);
        }
    }

    private record Memory(Register base, int offset) {
    }

    /** {@code (rN + off)}, {@code (rN - off)} or {@code (rN)}. */
    private static Memory memory(Cursor c) {
        c.expect("(");
        Memory m = address(c);
        c.expect(")");
        return m;
    }

    /** {@code rN + off}, {@code rN - off} or {@code rN}. */
    private static Memory address(Cursor c) {
        Reg base = register(c);
        if (base.width() != Width.W64) {
            throw c.error("an address is held in a 64-bit register, not " + base.name());
        }
        int offset = c.memoryOffset();
        return new Memory(base.register(), offset);
    }

    /** {@code u8}/{@code s8}... with the given sign letter. */
    private static Size sizeType(Cursor c, char sign) {
        int column = c.column();
        String word = c.word();
        Size size = switch (word.isEmpty() || word.charAt(0) != sign ? "" : word.substring(1)) {
            case "8" -> Size.B;
            case "16" -> Size.H;
            case "32" -> Size.W;
            case "64" -> sign == 'u' ? Size.DW : null;
            default -> null;
        };
        if (size == null) {
            throw c.errorAt(column, "unknown access type '" + word + "'");
        }
        return size;
    }

    /** An operator token ending in its first {@code =}, such as {@code +=}, {@code s>>=}, {@code x=}. */
    private static String operator(Cursor c) {
        c.skipBlanks();
        int column = c.column();
        StringBuilder op = new StringBuilder();
        while (true) {
            char ch = c.peekRaw();
            if (ch == 0 || Character.isWhitespace(ch)) {
                throw c.errorAt(column, "expected an assignment operator such as = or += but found '" + op + "'");
            }
            op.append(ch);
            c.reset(c.column() + 1);
            if (ch == '=') {
                return op.toString();
            }
        }
    }

    private static int imm32(Cursor c) {
        return c.imm32(c.number(), true);
    }

    /** A register as written: which one and whether it was named as a 32-bit sub-register. */
    private record Reg(Register register, Width width) {
        String name() {
            return (width == Width.W64 ? "r" : "w") + register.number();
        }
    }

    private static String peekWord(Cursor c) {
        int column = c.column();
        String word = c.word();
        c.reset(column);
        return word;
    }

    private static boolean isRegister(String word) {
        return word.length() >= 2 && (word.charAt(0) == 'r' || word.charAt(0) == 'w')
                && word.substring(1).chars().allMatch(Character::isDigit);
    }

    /** {@code r0}..{@code r10} or {@code w0}..{@code w10}. */
    private static Reg register(Cursor c) {
        c.skipBlanks();
        int column = c.column();
        String word = c.word();
        if (!isRegister(word)) {
            c.reset(column);
            throw c.error("expected a register (r0 to r10, w0 to w10) but found " + c.rest());
        }
        if (word.length() > 3 || Integer.parseInt(word.substring(1)) > 10) {
            throw c.errorAt(column, "invalid register '" + word + "' (r0 to r10, w0 to w10)");
        }
        return new Reg(Register.of(Integer.parseInt(word.substring(1))),
                word.charAt(0) == 'r' ? Width.W64 : Width.W32);
    }
}
