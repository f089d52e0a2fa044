package io.bpfstore.vm;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

import io.bpfstore.bytecode.asm.AddrSpaceCast;
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
import io.bpfstore.bytecode.asm.LoadAbsolute;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadIndirect;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MayGoto;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Neg;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.SwapKind;
import io.bpfstore.bytecode.asm.Width;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.MemoryFault;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.WeakHashMap;

/**
 * Compiles eBPF programs to JVM bytecode with {@code java.lang.classfile}, for speed: each eBPF function
 * becomes a static method whose eBPF registers are JVM locals, so HotSpot's JIT turns the program into machine
 * code. Semantics are the {@link Interpreter}'s, instruction for instruction (the arithmetic is shared through
 * {@link Alu}); memory goes through the same bounds-checked {@link AddressSpace}, and a fault names the same
 * instruction. The instruction budget is counted at backward jumps only, where loops are.
 */
public final class Compiler implements Executor {
    private static final Map<Code, CompiledSupport.Program> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /** The generated class (a hidden class: each program gets its own, under this one name). */
    private static final ClassDesc CD_GENERATED = ClassDesc.of(Compiler.class.getPackageName() + ".CompiledProgram");
    private static final ClassDesc CD_MACHINE = ClassDesc.of(Machine.class.getName());
    private static final ClassDesc CD_MEMORY = ClassDesc.of(AddressSpace.class.getName());
    private static final ClassDesc CD_SUPPORT = ClassDesc.of(CompiledSupport.class.getName());
    private static final ClassDesc CD_PROGRAM = ClassDesc.of(CompiledSupport.Program.class.getName());
    private static final ClassDesc CD_FAULT = ClassDesc.of(VmFault.class.getName());
    private static final ClassDesc CD_MEMORY_FAULT = ClassDesc.of(MemoryFault.class.getName());
    private static final ClassDesc CD_ALU = ClassDesc.of(Alu.class.getName());
    private static final ClassDesc CD_ALU_OP = ClassDesc.of(AluOp.class.getName());
    private static final ClassDesc CD_SWAP = ClassDesc.of(SwapKind.class.getName());
    private static final MethodTypeDesc FUNCTION = MethodTypeDesc.of(CD_long, CD_MACHINE, CD_long, CD_long, CD_long,
            CD_long, CD_long, CD_int);
    private static final MethodTypeDesc CALL = MethodTypeDesc.of(CD_long, CD_int, CD_MACHINE, CD_long, CD_long,
            CD_long, CD_long, CD_long, CD_int);

    // Locals of a function method: machine, r1..r5 arguments, depth, then the eBPF registers and memory.
    private static final int MACHINE = 0;
    private static final int DEPTH = 11;
    private static final int REGS = 12;
    private static final int MEMORY = REGS + 22;

    private final long budget;
    // The last program run and its callback entry, so that a run of the same program on the same machine (every
    // packet of a replay) costs no lookup or allocation. An Executor serves one thread.
    private Code lastCode;
    private Machine lastMachine;
    private CompiledSupport.Program lastProgram;
    private Machine.Callbacks lastCallbacks;

    /** A compiler whose runs stop after {@link Interpreter#DEFAULT_BUDGET} backward jumps. */
    public Compiler() {
        this(Interpreter.DEFAULT_BUDGET);
    }

    /** A compiler whose runs stop after {@code budget} backward jumps. */
    public Compiler(long budget) {
        this.budget = budget;
    }

    @Override
    public long run(Machine machine, Code code, long r1, long r2) {
        if (code == lastCode && machine == lastMachine && machine.callbacks() == lastCallbacks) {
            machine.startRun();
            machine.budget(budget);
            return lastProgram.call(0, machine, r1, r2, 0, 0, 0, 0);
        }
        CompiledSupport.Program program = compiled(code);
        lastCode = code;
        lastMachine = machine;
        lastProgram = program;
        machine.startRun();
        machine.budget(budget);
        lastCallbacks = (address, a1, a2, a3, a4, a5) -> {
            long slot = address - code.base();
            if (code.base() == 0 || slot < 0 || slot >= code.length() || code.slots()[(int) slot] == null) {
                throw new VmFault(code.name(), 0, "callback address 0x" + Long.toHexString(address)
                        + " is no function of this program");
            }
            int depth = machine.depth();
            try {
                return program.call((int) slot, machine, a1, a2, a3, a4, a5, depth + 1);
            } finally {
                machine.depth(depth); // helpers called inside the callback moved it
            }
        };
        machine.callbacks(lastCallbacks);
        return program.call(0, machine, r1, r2, 0, 0, 0, 0);
    }

    /** The compiled form of {@code code}, compiled once and kept while {@code code} is in use. */
    public static CompiledSupport.Program compiled(Code code) {
        return CACHE.computeIfAbsent(code, Compiler::compile);
    }

    private static CompiledSupport.Program compile(Code code) {
        TreeSet<Integer> starts = functionStarts(code);
        byte[] bytes = ClassFile.of().build(CD_GENERATED, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL);
            cb.withInterfaceSymbols(CD_PROGRAM);
            cb.withMethodBody("<init>", MethodTypeDesc.of(CD_void), ClassFile.ACC_PUBLIC, c -> {
                c.aload(0);
                c.invokespecial(CD_Object, "<init>", MethodTypeDesc.of(CD_void));
                c.return_();
            });
            List<Integer> list = new ArrayList<>(starts);
            for (int i = 0; i < list.size(); i++) {
                int start = list.get(i);
                int end = i + 1 < list.size() ? list.get(i + 1) : code.length();
                cb.withMethodBody("f" + start, FUNCTION, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                        c -> new FunctionWriter(code, starts, start, end, c).write());
            }
            cb.withMethodBody("call", CALL, ClassFile.ACC_PUBLIC, c -> {
                Label fail = c.newLabel();
                List<java.lang.classfile.instruction.SwitchCase> cases = new ArrayList<>();
                List<Label> targets = new ArrayList<>();
                for (int start : list) {
                    Label l = c.newLabel();
                    cases.add(java.lang.classfile.instruction.SwitchCase.of(start, l));
                    targets.add(l);
                }
                c.iload(1);
                c.lookupswitch(fail, cases);
                for (int i = 0; i < list.size(); i++) {
                    c.labelBinding(targets.get(i));
                    c.aload(2);
                    c.lload(3).lload(5).lload(7).lload(9).lload(11);
                    c.iload(13);
                    c.invokestatic(CD_GENERATED, "f" + list.get(i), FUNCTION);
                    c.lreturn();
                }
                c.labelBinding(fail);
                c.ldc(code.name());
                c.iload(1);
                c.ldc("call of slot that starts no function");
                c.invokestatic(CD_SUPPORT, "fault", MethodTypeDesc.of(CD_FAULT, CD_String, CD_int, CD_String));
                c.athrow();
            });
        });
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (CompiledSupport.Program) lookup.findConstructor(lookup.lookupClass(),
                    java.lang.invoke.MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("compiled form of " + code.name() + " does not load: " + e, e);
        }
    }

    /** Slot 0, every bpf-to-bpf call target and every callback address. */
    private static TreeSet<Integer> functionStarts(Code code) {
        TreeSet<Integer> starts = new TreeSet<>();
        starts.add(0);
        Instruction[] slots = code.slots();
        for (int s = 0; s < slots.length; s++) {
            if (slots[s] instanceof CallLocal call) {
                int target = s + 1 + call.offset();
                if (target >= 0 && target < slots.length) {
                    starts.add(target);
                }
            } else if (slots[s] instanceof LoadImm64 load && load.pseudo() == Pseudo.NONE && code.base() != 0) {
                long slot = load.value() - code.base();
                if (slot >= 0 && slot < slots.length) {
                    starts.add((int) slot);
                }
            }
        }
        return starts;
    }

    /** Writes one eBPF function [start, end) as the body of a static method. */
    private static final class FunctionWriter {
        private final Code code;
        private final TreeSet<Integer> starts;
        private final int start;
        private final int end;
        private final CodeBuilder c;
        private final Label[] labels;
        private final List<int[]> guarded = new ArrayList<>();
        private final List<Label[]> regions = new ArrayList<>();

        FunctionWriter(Code code, TreeSet<Integer> starts, int start, int end, CodeBuilder c) {
            this.code = code;
            this.starts = starts;
            this.start = start;
            this.end = end;
            this.c = c;
            this.labels = new Label[end - start];
        }

        private static int reg(Register r) {
            return REGS + 2 * r.number();
        }

        void write() {
            for (int i = 0; i < labels.length; i++) {
                labels[i] = c.newLabel();
            }
            c.lconst_0().lstore(reg(Register.R0));
            for (int i = 1; i <= 5; i++) {
                c.lload(1 + 2 * (i - 1)).lstore(reg(Register.of(i)));
            }
            for (int i = 6; i <= 9; i++) {
                c.lconst_0().lstore(reg(Register.of(i)));
            }
            c.aload(MACHINE).iload(DEPTH).ldc(code.name());
            c.invokestatic(CD_SUPPORT, "frame", MethodTypeDesc.of(CD_long, CD_MACHINE, CD_int, CD_String));
            c.lstore(reg(Register.R10));
            c.aload(MACHINE).invokevirtual(CD_MACHINE, "memory", MethodTypeDesc.of(CD_MEMORY)).astore(MEMORY);
            Instruction[] slots = code.slots();
            for (int s = start; s < end; s++) {
                c.labelBinding(labels[s - start]);
                if (slots[s] != null) {
                    instruction(s, slots[s]);
                }
            }
            fault(end, "jump outside the program or into the middle of an instruction");
            for (int i = 0; i < regions.size(); i++) {
                Label handler = c.newBoundLabel();
                c.exceptionCatch(regions.get(i)[0], regions.get(i)[1], handler, CD_MEMORY_FAULT);
                c.ldc(code.name()).ldc(guarded.get(i)[0]);
                c.invokestatic(CD_SUPPORT, "fault", MethodTypeDesc.of(CD_FAULT, CD_MEMORY_FAULT, CD_String, CD_int));
                c.athrow();
            }
        }

        private void fault(int slot, String reason) {
            c.ldc(code.name()).ldc(slot).ldc(reason);
            c.invokestatic(CD_SUPPORT, "fault", MethodTypeDesc.of(CD_FAULT, CD_String, CD_int, CD_String));
            c.athrow();
        }

        /** Emits a jump to slot {@code target}, counting a backward one against the budget. */
        private void jumpTo(int from, int target) {
            if (target < start || target >= end || code.slots()[target] == null) {
                fault(from, "jump outside the program or into the middle of an instruction");
                return;
            }
            if (target <= from) {
                c.aload(MACHINE).ldc(code.name()).ldc(from);
                c.invokestatic(CD_SUPPORT, "backEdge", MethodTypeDesc.of(CD_void, CD_MACHINE, CD_String, CD_int));
            }
            c.goto_(labels[target - start]);
        }

        private Label guard() {
            return c.newBoundLabel();
        }

        private void endGuard(Label from, int slot) {
            regions.add(new Label[] {from, c.newBoundLabel()});
            guarded.add(new int[] {slot});
        }

        private void pushAddress(Register base, int offset) {
            c.aload(MEMORY).lload(reg(base)).ldc((long) offset).ladd();
        }

        private void instruction(int s, Instruction instruction) {
            switch (instruction) {
                case AluImm a -> alu(a.width(), a.op(), a.dst(), () -> {
                    if (a.width() == Width.W64) {
                        c.ldc((long) a.imm());
                    } else {
                        c.ldc(a.imm());
                    }
                });
                case AluReg a -> alu(a.width(), a.op(), a.dst(), () -> {
                    c.lload(reg(a.src()));
                    if (a.width() == Width.W32) {
                        c.l2i();
                    }
                });
                case Neg n -> {
                    c.lload(reg(n.dst()));
                    if (n.width() == Width.W64) {
                        c.lneg();
                    } else {
                        c.l2i().ineg();
                        zeroExtend();
                    }
                    c.lstore(reg(n.dst()));
                }
                case MovSx m -> {
                    c.lload(reg(m.src())).ldc(m.bits());
                    c.invokestatic(CD_ALU, "signExtend", MethodTypeDesc.of(CD_long, CD_long, CD_int));
                    if (m.width() == Width.W32) {
                        c.ldc(0xffffffffL).land();
                    }
                    c.lstore(reg(m.dst()));
                }
                case ByteSwap b -> {
                    c.getstatic(CD_SWAP, b.kind().name(), CD_SWAP);
                    c.lload(reg(b.dst())).ldc(b.bits());
                    c.invokestatic(CD_ALU, "swap", MethodTypeDesc.of(CD_long, CD_SWAP, CD_long, CD_int));
                    c.lstore(reg(b.dst()));
                }
                case AddrSpaceCast a -> c.lload(reg(a.src())).lstore(reg(a.dst()));
                case LoadImm64 l -> {
                    if (l.pseudo() != Pseudo.NONE) {
                        fault(s, "64-bit load of a " + l.pseudo()
                                + " reference that was not resolved when the program was loaded into the VM");
                    } else {
                        c.ldc(l.value()).lstore(reg(l.dst()));
                    }
                }
                case Load l -> {
                    Label from = guard();
                    pushAddress(l.src(), l.offset());
                    c.ldc(l.size().bytes()).invokevirtual(CD_MEMORY, "load", MethodTypeDesc.of(CD_long, CD_long, CD_int));
                    endGuard(from, s);
                    c.lstore(reg(l.dst()));
                }
                case LoadSigned l -> {
                    Label from = guard();
                    pushAddress(l.src(), l.offset());
                    c.ldc(l.size().bytes()).invokevirtual(CD_MEMORY, "load", MethodTypeDesc.of(CD_long, CD_long, CD_int));
                    endGuard(from, s);
                    c.ldc(l.size().bytes() * 8);
                    c.invokestatic(CD_ALU, "signExtend", MethodTypeDesc.of(CD_long, CD_long, CD_int));
                    c.lstore(reg(l.dst()));
                }
                case Store st -> {
                    Label from = guard();
                    pushAddress(st.dst(), st.offset());
                    c.ldc(st.size().bytes()).lload(reg(st.src()));
                    c.invokevirtual(CD_MEMORY, "store", MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_long));
                    endGuard(from, s);
                }
                case StoreImm st -> {
                    Label from = guard();
                    pushAddress(st.dst(), st.offset());
                    c.ldc(st.size().bytes()).ldc((long) st.imm());
                    c.invokevirtual(CD_MEMORY, "store", MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_long));
                    endGuard(from, s);
                }
                case Atomic a -> {
                    Label from = guard();
                    pushAddress(a.dst(), a.offset());
                    c.ldc(a.size().bytes()).ldc(atomicCode(a.op())).lload(reg(a.src())).lload(reg(Register.R0));
                    c.invokestatic(CD_SUPPORT, "atomic", MethodTypeDesc.of(CD_long, CD_MEMORY, CD_long, CD_int, CD_int,
                            CD_long, CD_long));
                    endGuard(from, s);
                    if (a.op() == AtomicOp.CMPXCHG) {
                        c.lstore(reg(Register.R0));
                    } else if (a.fetch()) {
                        c.lstore(reg(a.src()));
                    } else {
                        c.pop2();
                    }
                }
                case LoadAbsolute l -> fault(s, "legacy packet load (LD_ABS) needs a socket-filter context, which this run has none of");
                case LoadIndirect l -> fault(s, "legacy packet load (LD_IND) needs a socket-filter context, which this run has none of");
                case CallKfunc k -> fault(s, "kfunc calls are not modelled by the VM");
                case Goto g -> jumpTo(s, s + 1 + g.offset());
                case GotoLong g -> jumpTo(s, s + 1 + g.offset());
                case MayGoto g -> {
                    Label next = c.newLabel();
                    c.aload(MACHINE).invokestatic(CD_SUPPORT, "mayGoto", MethodTypeDesc.of(CD_boolean, CD_MACHINE));
                    c.ifeq(next);
                    jumpTo(s, s + 1 + g.offset());
                    c.labelBinding(next);
                }
                case JumpImm j -> conditional(s, j.width(), j.condition(), j.dst(), null, j.imm(), j.offset());
                case JumpReg j -> conditional(s, j.width(), j.condition(), j.dst(), j.src(), 0, j.offset());
                case CallHelper h -> helperCall(s, () -> c.ldc((long) h.helper()));
                case CallRegister h -> helperCall(s, () -> c.lload(reg(h.register())));
                case CallLocal call -> {
                    int target = s + 1 + call.offset();
                    if (!starts.contains(target)) {
                        fault(s, "call of slot " + target + ", which starts no function");
                        return;
                    }
                    c.aload(MACHINE);
                    for (int i = 1; i <= 5; i++) {
                        c.lload(reg(Register.of(i)));
                    }
                    c.iload(DEPTH).iconst_1().iadd();
                    c.invokestatic(CD_GENERATED, "f" + target, FUNCTION);
                    c.lstore(reg(Register.R0));
                    clobberArguments();
                }
                case Exit e -> c.lload(reg(Register.R0)).lreturn();
            }
        }

        private void clobberArguments() {
            for (int i = 1; i <= 5; i++) {
                c.lconst_0().lstore(reg(Register.of(i)));
            }
        }

        private void helperCall(int s, Runnable pushId) {
            Label from = guard();
            c.aload(MACHINE);
            pushId.run();
            for (int i = 1; i <= 5; i++) {
                c.lload(reg(Register.of(i)));
            }
            c.iload(DEPTH).ldc(code.name()).ldc(s);
            c.invokestatic(CD_SUPPORT, "helper", MethodTypeDesc.of(CD_long, CD_MACHINE, CD_long, CD_long, CD_long,
                    CD_long, CD_long, CD_long, CD_int, CD_String, CD_int));
            endGuard(from, s);
            c.lstore(reg(Register.R0));
            clobberArguments();
            Label next = c.newLabel();
            c.aload(MACHINE).invokestatic(CD_SUPPORT, "tailCallPending", MethodTypeDesc.of(CD_boolean, CD_MACHINE));
            c.ifeq(next);
            c.aload(MACHINE).iload(DEPTH);
            c.invokestatic(CD_SUPPORT, "tailCall", MethodTypeDesc.of(CD_long, CD_MACHINE, CD_int));
            c.lreturn();
            c.labelBinding(next);
        }

        private static int atomicCode(AtomicOp op) {
            return switch (op) {
                case ADD -> 0;
                case OR -> 1;
                case AND -> 2;
                case XOR -> 3;
                case XCHG -> 4;
                case CMPXCHG -> 5;
            };
        }

        private void zeroExtend() {
            c.i2l().ldc(0xffffffffL).land();
        }

        /** dst = dst op src; {@code pushSrc} pushes src as a long (64-bit) or an int (32-bit). */
        private void alu(Width width, AluOp op, Register dst, Runnable pushSrc) {
            boolean wide = width == Width.W64;
            switch (op) {
                case DIV, SDIV, MOD, SMOD -> {
                    c.getstatic(CD_ALU_OP, op.name(), CD_ALU_OP);
                    c.lload(reg(dst));
                    pushSrc.run();
                    if (!wide) {
                        c.i2l();
                    }
                    c.invokestatic(CD_ALU, wide ? "alu64" : "alu32", MethodTypeDesc.of(CD_long, CD_ALU_OP, CD_long, CD_long));
                    c.lstore(reg(dst));
                    return;
                }
                case MOV -> {
                    pushSrc.run();
                    if (!wide) {
                        zeroExtend();
                    }
                    c.lstore(reg(dst));
                    return;
                }
                default -> {
                }
            }
            c.lload(reg(dst));
            if (!wide) {
                c.l2i();
            }
            pushSrc.run();
            if (wide && (op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH)) {
                c.l2i(); // JVM long shifts take an int count and mask it with 63, as eBPF does
            }
            switch (op) {
                case ADD -> { if (wide) c.ladd(); else c.iadd(); }
                case SUB -> { if (wide) c.lsub(); else c.isub(); }
                case MUL -> { if (wide) c.lmul(); else c.imul(); }
                case OR -> { if (wide) c.lor(); else c.ior(); }
                case AND -> { if (wide) c.land(); else c.iand(); }
                case XOR -> { if (wide) c.lxor(); else c.ixor(); }
                case LSH -> { if (wide) c.lshl(); else c.ishl(); }
                case RSH -> { if (wide) c.lushr(); else c.iushr(); }
                case ARSH -> { if (wide) c.lshr(); else c.ishr(); }
                default -> throw new IllegalStateException(op.toString());
            }
            if (!wide) {
                zeroExtend();
            }
            c.lstore(reg(dst));
        }

        private void conditional(int s, Width width, JumpCondition condition, Register dst, Register src, int imm, int offset) {
            boolean wide = width == Width.W64;
            int target = s + 1 + offset;
            Label notTaken = c.newLabel();
            c.lload(reg(dst));
            if (!wide) {
                c.l2i();
            }
            if (src != null) {
                c.lload(reg(src));
                if (!wide) {
                    c.l2i();
                }
            } else if (wide) {
                c.ldc((long) imm);
            } else {
                c.ldc(imm);
            }
            // Branch to notTaken when the condition is false, then jump to the target.
            if (wide) {
                switch (condition) {
                    case SET -> { c.land().lconst_0().lcmp(); c.ifeq(notTaken); }
                    case GT, GE, LT, LE -> {
                        c.invokestatic(ClassDesc.of("java.lang.Long"), "compareUnsigned", MethodTypeDesc.of(CD_int, CD_long, CD_long));
                        negatedIf(condition, notTaken);
                    }
                    default -> { c.lcmp(); negatedIf(condition, notTaken); }
                }
            } else {
                switch (condition) {
                    case SET -> { c.iand(); c.ifeq(notTaken); }
                    case GT, GE, LT, LE -> {
                        c.invokestatic(ClassDesc.of("java.lang.Integer"), "compareUnsigned", MethodTypeDesc.of(CD_int, CD_int, CD_int));
                        negatedIf(condition, notTaken);
                    }
                    default -> {
                        switch (condition) {
                            case EQ -> c.if_icmpne(notTaken);
                            case NE -> c.if_icmpeq(notTaken);
                            case SGT -> c.if_icmple(notTaken);
                            case SGE -> c.if_icmplt(notTaken);
                            case SLT -> c.if_icmpge(notTaken);
                            case SLE -> c.if_icmpgt(notTaken);
                            default -> throw new IllegalStateException(condition.toString());
                        }
                    }
                }
            }
            jumpTo(s, target);
            c.labelBinding(notTaken);
        }

        /** With a comparison result (-1, 0, 1) on the stack, branches when {@code condition} does not hold. */
        private void negatedIf(JumpCondition condition, Label notTaken) {
            switch (condition) {
                case EQ -> c.ifne(notTaken);
                case NE -> c.ifeq(notTaken);
                case GT, SGT -> c.ifle(notTaken);
                case GE, SGE -> c.iflt(notTaken);
                case LT, SLT -> c.ifge(notTaken);
                case LE, SLE -> c.ifgt(notTaken);
                default -> throw new IllegalStateException(condition.toString());
            }
        }
    }
}
