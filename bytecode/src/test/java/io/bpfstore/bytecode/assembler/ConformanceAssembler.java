package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.AluReg;
import io.bpfstore.bytecode.asm.Atomic;
import io.bpfstore.bytecode.asm.AtomicOp;
import io.bpfstore.bytecode.asm.ByteSwap;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallKfunc;
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
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Neg;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.SwapKind;
import io.bpfstore.bytecode.asm.Width;
import io.bpfstore.bytecode.assembler.ProgramBuilder.Reach;
import io.bpfstore.bytecode.assembler.ProgramBuilder.Target;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assembles the mnemonic dialect of the bpf_conformance test suite (the {@code -- asm} sections of its
 * {@code .data} files), e.g. {@code mov32 %r0, 0}, {@code ldxdw %r0, [%r1+8]}, {@code lock fetch add32
 * [%r10-4], %r1}, {@code jne %r1, 0x5, label}.
 *
 * <p>The dialect, as the suite's own assembler defines it: one instruction or label ({@code name:}) per line,
 * {@code #} starts a comment, operands are separated by commas. Mnemonics without suffix are 64-bit, {@code 32}
 * selects the 32-bit class ({@code add32}, {@code jeq32}). {@code swapN} and {@code bswapN} are the unconditional byte swap,
 * {@code movsx<from><to>} the sign-extending move ({@code movsx832} extends 8 bits into a 32-bit register),
 * {@code ja32} the long jump ({@code gotol}). {@code call N} and {@code call helper N} call a helper,
 * {@code call local label} a bpf-to-bpf function, {@code call runtime N} a kfunc, {@code call %rN} the address
 * in a register. Jump targets are labels or signed distances ({@code +2}); the first {@code exit} instruction
 * carries an implicit label {@code exit} unless the program defines one. Decimal immediates are signed
 * 32-bit values, hexadecimal ones may also be written as the field's bit pattern ({@code 0xffffffff}).
 */
public final class ConformanceAssembler {
    private static final Map<String, AluOp> ALU = Mnemonics.lowerCase("", AluOp.values());

    private static final Map<String, JumpCondition> JUMPS = Mnemonics.lowerCase("j", JumpCondition.values());

    private static final Map<String, Size> SIZES = Mnemonics.lowerCase("", Size.values());

    private static final Map<String, AtomicOp> ATOMICS = Mnemonics.lowerCase("", AtomicOp.values());

    private ConformanceAssembler() {
    }

    /**
     * Assembles {@code text}.
     *
     * @param source name of the text for error messages, e.g. the test file's name
     * @param text   the assembly, lines separated by {@code \n}
     * @return the instructions in order
     * @throws AssemblyException naming line and column of the first fault
     */
    public static List<Instruction> assemble(String source, String text) {
        Objects.requireNonNull(source, "source");
        ProgramBuilder<Instruction> program = new ProgramBuilder<>(source, Instruction::slots);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            Cursor c = new Cursor(source, i + 1, hash < 0 ? line : line.substring(0, hash));
            if (c.atEnd()) {
                continue;
            }
            int column = c.column();
            String word = c.word();
            if (word.isEmpty()) {
                throw c.error("expected a mnemonic or label but found " + c.rest());
            }
            if (c.accept(":")) {
                program.label(word, c.line(), column);
                c.expectEnd();
                continue;
            }
            statement(c, word, column, program);
            c.expectEnd();
        }
        return program.build();
    }

    private static void statement(Cursor c, String mnemonic, int column, ProgramBuilder<Instruction> program) {
        if (mnemonic.equals("exit")) {
            program.weakLabel("exit");
            program.add(Exit.INSTANCE);
            return;
        }
        if (mnemonic.equals("lock")) {
            lock(c, program);
            return;
        }
        if (mnemonic.equals("lddw")) {
            Register dst = register(c);
            comma(c, mnemonic);
            program.add(LoadImm64.of(dst, c.imm64(number(c, mnemonic))));
            return;
        }
        if (mnemonic.equals("call")) {
            call(c, program);
            return;
        }
        if (mnemonic.equals("ja") || mnemonic.equals("ja32")) {
            Target target = target(c, mnemonic);
            if (mnemonic.equals("ja")) {
                program.add(target, Reach.OFFSET16, Goto::new);
            } else {
                program.add(target, Reach.IMM32, GotoLong::new);
            }
            return;
        }
        boolean is32 = mnemonic.endsWith("32") && !mnemonic.startsWith("be") && !mnemonic.startsWith("le")
                && !mnemonic.startsWith("swap") && !mnemonic.startsWith("movsx");
        boolean is64 = mnemonic.endsWith("64") && !mnemonic.startsWith("be") && !mnemonic.startsWith("le")
                && !mnemonic.startsWith("swap") && !mnemonic.startsWith("movsx");
        String stem = is32 || is64 ? mnemonic.substring(0, mnemonic.length() - 2) : mnemonic;
        Width width = is32 ? Width.W32 : Width.W64;
        if (ALU.containsKey(stem)) {
            Register dst = register(c);
            comma(c, mnemonic);
            if (c.peek() == '%') {
                program.add(new AluReg(width, ALU.get(stem), dst, register(c)));
            } else {
                program.add(new AluImm(width, ALU.get(stem), dst, c.imm32(number(c, mnemonic), false)));
            }
            return;
        }
        if (stem.equals("neg")) {
            program.add(new Neg(width, register(c)));
            return;
        }
        if (JUMPS.containsKey(stem) && !is64) {
            Register dst = register(c);
            comma(c, mnemonic);
            JumpCondition condition = JUMPS.get(stem);
            if (c.peek() == '%') {
                Register src = register(c);
                comma(c, mnemonic);
                Target target = target(c, mnemonic);
                program.add(target, Reach.OFFSET16, offset -> new JumpReg(width, condition, dst, src, offset));
            } else {
                int imm = c.imm32(number(c, mnemonic), false);
                comma(c, mnemonic);
                Target target = target(c, mnemonic);
                program.add(target, Reach.OFFSET16, offset -> new JumpImm(width, condition, dst, imm, offset));
            }
            return;
        }
        Instruction swap = swap(c, mnemonic);
        if (swap != null) {
            program.add(swap);
            return;
        }
        if (mnemonic.startsWith("movsx")) {
            program.add(movsx(c, mnemonic, column));
            return;
        }
        if (mnemonic.startsWith("ldxs") && SIZES.containsKey(mnemonic.substring(4))
                && !mnemonic.equals("ldxsdw")) {
            Register dst = register(c);
            comma(c, mnemonic);
            Memory m = memory(c);
            program.add(new LoadSigned(SIZES.get(mnemonic.substring(4)), dst, m.base(), m.offset()));
            return;
        }
        if (mnemonic.startsWith("ldx") && SIZES.containsKey(mnemonic.substring(3))) {
            Register dst = register(c);
            comma(c, mnemonic);
            Memory m = memory(c);
            program.add(new Load(SIZES.get(mnemonic.substring(3)), dst, m.base(), m.offset()));
            return;
        }
        if (mnemonic.startsWith("stx") && SIZES.containsKey(mnemonic.substring(3))) {
            Memory m = memory(c);
            comma(c, mnemonic);
            program.add(new Store(SIZES.get(mnemonic.substring(3)), m.base(), register(c), m.offset()));
            return;
        }
        if (mnemonic.startsWith("st") && SIZES.containsKey(mnemonic.substring(2))) {
            Memory m = memory(c);
            comma(c, mnemonic);
            int imm = c.imm32(number(c, mnemonic), false);
            program.add(new StoreImm(SIZES.get(mnemonic.substring(2)), m.base(), m.offset(), imm));
            return;
        }
        throw c.errorAt(column, "invalid mnemonic '" + mnemonic + "'");
    }

    /** {@code be16}, {@code le32}, {@code swap64} and so on, or null if {@code mnemonic} is none of them. */
    private static Instruction swap(Cursor c, String mnemonic) {
        for (SwapKind kind : SwapKind.values()) {
            String stem = switch (kind) {
                case LE -> "le";
                case BE -> "be";
                case BSWAP -> "swap";
            };
            for (String name : kind == SwapKind.BSWAP ? List.of("swap", "bswap") : List.of(stem)) {
                if (mnemonic.equals(name + "16") || mnemonic.equals(name + "32") || mnemonic.equals(name + "64")) {
                    return new ByteSwap(kind, register(c), Integer.parseInt(mnemonic.substring(name.length())));
                }
            }
        }
        return null;
    }

    /** {@code movsx<from><to>}: {@code movsx832}, {@code movsx1664}, {@code movsx3264}... */
    private static Instruction movsx(Cursor c, String mnemonic, int column) {
        String rest = mnemonic.substring("movsx".length());
        int from;
        Width width;
        switch (rest) {
            case "832" -> { from = 8; width = Width.W32; }
            case "1632" -> { from = 16; width = Width.W32; }
            case "864" -> { from = 8; width = Width.W64; }
            case "1664" -> { from = 16; width = Width.W64; }
            case "3264" -> { from = 32; width = Width.W64; }
            default -> throw c.errorAt(column, "invalid mnemonic '" + mnemonic + "'");
        }
        Register dst = register(c);
        comma(c, mnemonic);
        return new MovSx(width, dst, register(c), from);
    }

    /** {@code lock [fetch] <op>[32] [%rD+off], %rS}. */
    private static void lock(Cursor c, ProgramBuilder<Instruction> program) {
        if (c.atEnd()) {
            throw c.error("invalid number of operands for lock: expected [fetch] <operation> [%rN+offset], %rN");
        }
        boolean fetch = c.acceptWord("fetch");
        int column = c.column();
        String op = c.word();
        boolean is32 = op.endsWith("32");
        AtomicOp atomic = ATOMICS.get(is32 ? op.substring(0, op.length() - 2) : op);
        if (atomic == null) {
            throw c.errorAt(column, "invalid atomic operation '" + op + "'");
        }
        if (fetch && !atomic.fetchOptional()) {
            throw c.errorAt(column, "'fetch' is implied by " + op + " and must not be written");
        }
        if (c.atEnd()) {
            throw c.error("invalid number of operands for lock " + op + ": expected [%rN+offset], %rN");
        }
        Memory m = memory(c);
        if (!c.accept(",")) {
            throw c.error("invalid number of operands for lock " + op + ": expected [%rN+offset], %rN");
        }
        Register src = register(c);
        program.add(new Atomic(is32 ? Size.W : Size.DW, atomic, fetch || !atomic.fetchOptional(), m.base(), src,
                m.offset()));
    }

    /** {@code call N}, {@code call helper N}, {@code call local label}, {@code call runtime N}, {@code call %rN}. */
    private static void call(Cursor c, ProgramBuilder<Instruction> program) {
        if (c.peek() == '%') {
            program.add(new CallRegister(register(c)));
            return;
        }
        if (c.atNumber()) {
            program.add(new CallHelper(c.imm32(number(c, "call"), false)));
            return;
        }
        int column = c.column();
        String mode = c.word();
        switch (mode) {
            case "helper" -> {
                if (c.peek() == '%') {
                    program.add(new CallRegister(register(c)));
                } else {
                    program.add(new CallHelper(c.imm32(number(c, "call"), false)));
                }
            }
            case "local" -> program.add(target(c, "call local"), Reach.IMM32, CallLocal::new);
            case "runtime" -> program.add(new CallKfunc(c.imm32(number(c, "call"), false), 0));
            default -> throw c.errorAt(column, mode.isEmpty()
                    ? "invalid number of operands for call: expected a helper number, a register or a mode"
                    : "invalid call mode '" + mode + "' (expected helper, local or runtime)");
        }
    }

    private record Memory(Register base, int offset) {
    }

    /** {@code [%rN]}, {@code [%rN+off]}, {@code [%rN-off]}. */
    private static Memory memory(Cursor c) {
        if (!c.accept("[")) {
            throw c.error("expected a memory operand [%rN+offset] but found " + c.rest());
        }
        Register base = register(c);
        int offset = c.memoryOffset();
        c.expect("]");
        return new Memory(base, offset);
    }

    /** A label or {@code +N} / {@code -N}. */
    private static Target target(Cursor c, String mnemonic) {
        if (c.atEnd()) {
            throw c.error("invalid number of operands for " + mnemonic + ": expected a jump target");
        }
        int column = c.column();
        if (c.peek() == '+' || c.peek() == '-') {
            Cursor.Number n = c.number();
            return Target.relative(c.signed32(n, "jump offset"), c.line(), column);
        }
        String label = c.word();
        if (label.isEmpty() || Character.isDigit(label.charAt(0))) {
            throw c.errorAt(column, "expected a label or a signed offset (+N, -N) but found " + c.rest());
        }
        return Target.label(label, c.line(), column);
    }

    private static Cursor.Number number(Cursor c, String mnemonic) {
        if (c.atEnd()) {
            throw c.error("invalid number of operands for " + mnemonic + ": expected an immediate");
        }
        return c.number();
    }

    private static void comma(Cursor c, String mnemonic) {
        if (!c.accept(",")) {
            throw c.error(c.atEnd()
                    ? "invalid number of operands for " + mnemonic
                    : "expected ',' but found " + c.rest());
        }
    }

    /** {@code %r0} to {@code %r10}. */
    static Register register(Cursor c) {
        int column = c.column();
        if (c.atEnd()) {
            throw c.error("expected a register but found the end of the line");
        }
        if (!c.accept("%")) {
            throw c.error("expected a register (%r0 to %r10) but found " + c.rest());
        }
        String name = c.word();
        if (name.length() < 2 || name.charAt(0) != 'r' || !name.substring(1).chars().allMatch(Character::isDigit)
                || name.length() > 3 || Integer.parseInt(name.substring(1)) > 10) {
            throw c.errorAt(column, "invalid register '%" + name + "' (expected %r0 to %r10)");
        }
        return Register.of(Integer.parseInt(name.substring(1)));
    }
}
