package io.bpfstore.vm;

import io.bpfstore.bytecode.asm.AddrSpaceCast;
import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.AluReg;
import io.bpfstore.bytecode.asm.Atomic;
import io.bpfstore.bytecode.asm.ByteSwap;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallKfunc;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.CallRegister;
import io.bpfstore.bytecode.asm.Exit;
import io.bpfstore.bytecode.asm.Goto;
import io.bpfstore.bytecode.asm.GotoLong;
import io.bpfstore.bytecode.asm.Instruction;
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
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.Width;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.MemoryFault;

/**
 * The reference implementation of the instruction set: runs a {@link Code} on a {@link Machine}, one
 * instruction at a time, exactly as RFC 9669 and the kernel define each one. Slow but obviously right; the
 * compiled form is tested against it.
 */
public final class Interpreter implements Executor {
    /** Instructions one run may execute before it is stopped (the verifier bounds loops; the VM bounds runs). */
    public static final long DEFAULT_BUDGET = 50_000_000L;
    /** may_goto's loop budget per run, as the kernel's BPF_MAX_LOOPS. */
    static final long MAY_GOTO_BUDGET = 8L * 1024 * 1024;

    private final long budget;

    /** An interpreter with {@link #DEFAULT_BUDGET}. */
    public Interpreter() {
        this(DEFAULT_BUDGET);
    }

    /** An interpreter stopping a run after {@code budget} instructions. */
    public Interpreter(long budget) {
        this.budget = budget;
    }

    /** One frame of a bpf-to-bpf call: where to return to and the callee-saved registers. */
    private record Frame(Code code, int returnSlot, long r6, long r7, long r8, long r9) {
    }

    /**
     * Runs {@code code} with r1 = {@code r1} (the context, or a test's memory) and r2 = {@code r2}.
     *
     * @return r0 at the program's exit
     * @throws VmFault when the program accesses memory it may not, calls something that doesn't exist, or runs
     *                 past the budget
     */
    @Override
    public long run(Machine machine, Code code, long r1, long r2) {
        machine.startRun();
        long[] r = new long[11];
        r[1] = r1;
        r[2] = r2;
        Run run = new Run();
        machine.callbacks((address, a1, a2, a3, a4, a5) -> {
            long slot = address - code.base();
            if (code.base() == 0 || slot < 0 || slot >= code.length() || code.slots()[(int) slot] == null) {
                throw new VmFault(code.name(), run.pc, "callback address 0x" + Long.toHexString(address)
                        + " is no function of this program");
            }
            long[] regs = new long[11];
            regs[1] = a1;
            regs[2] = a2;
            regs[3] = a3;
            regs[4] = a4;
            regs[5] = a5;
            int depth = run.depth;
            int pc = run.pc;
            try {
                return execute(machine, code, (int) slot, regs, depth + 1, run);
            } finally {
                run.depth = depth; // helpers called inside the callback moved them
                run.pc = pc;
            }
        });
        return execute(machine, code, 0, r, 0, run);
    }

    /** Budgets and position shared by a run and the callbacks it makes. */
    private static final class Run {
        long executed;
        long mayGoto = MAY_GOTO_BUDGET;
        int depth;
        int pc;
    }

    /** Executes from {@code pc} in a frame at call depth {@code base} until that frame exits. */
    private long execute(Machine machine, Code code, int pc, long[] r, int base, Run run) {
        if (base >= Machine.MAX_FRAMES) {
            throw new VmFault(code.name(), pc, "more than " + Machine.MAX_FRAMES + " nested calls");
        }
        AddressSpace memory = machine.memory();
        r[10] = machine.framePointer(base);
        Frame[] frames = new Frame[Machine.MAX_FRAMES];
        int depth = base;
        Instruction[] slots = code.slots();
        while (true) {
            if (pc < 0 || pc >= slots.length || slots[pc] == null) {
                throw new VmFault(code.name(), pc, "jump outside the program or into the middle of an instruction");
            }
            if (++run.executed > budget) {
                throw new VmFault(code.name(), pc, "more than " + budget + " instructions executed");
            }
            Instruction instruction = slots[pc];
            int next = pc + instruction.slots();
            Code tailTarget = null;
            try {
                switch (instruction) {
                    case AluImm a -> {
                        int d = a.dst().number();
                        r[d] = a.width() == Width.W64 ? Alu.alu64(a.op(), r[d], a.imm()) : Alu.alu32(a.op(), r[d], a.imm());
                    }
                    case AluReg a -> {
                        int d = a.dst().number();
                        long s = r[a.src().number()];
                        r[d] = a.width() == Width.W64 ? Alu.alu64(a.op(), r[d], s) : Alu.alu32(a.op(), r[d], s);
                    }
                    case Neg n -> {
                        int d = n.dst().number();
                        r[d] = n.width() == Width.W64 ? -r[d] : (-(int) r[d]) & 0xffffffffL;
                    }
                    case MovSx m -> {
                        long v = Alu.signExtend(r[m.src().number()], m.bits());
                        r[m.dst().number()] = m.width() == Width.W64 ? v : v & 0xffffffffL;
                    }
                    case ByteSwap b -> r[b.dst().number()] = Alu.swap(b.kind(), r[b.dst().number()], b.bits());
                    case AddrSpaceCast c -> r[c.dst().number()] = r[c.src().number()];
                    case LoadImm64 l -> r[l.dst().number()] = constant(code, pc, l);
                    case Load l -> r[l.dst().number()] = memory.load(r[l.src().number()] + l.offset(), l.size().bytes());
                    case LoadSigned l -> r[l.dst().number()] = Alu.signExtend(
                            memory.load(r[l.src().number()] + l.offset(), l.size().bytes()), l.size().bytes() * 8);
                    case Store s -> memory.store(r[s.dst().number()] + s.offset(), s.size().bytes(), r[s.src().number()]);
                    case StoreImm s -> memory.store(r[s.dst().number()] + s.offset(), s.size().bytes(), s.imm());
                    case Atomic a -> atomic(memory, r, a);
                    case LoadAbsolute l -> throw new VmFault(code.name(), pc,
                            "legacy packet load (LD_ABS) needs a socket-filter context, which this run has none of");
                    case LoadIndirect l -> throw new VmFault(code.name(), pc,
                            "legacy packet load (LD_IND) needs a socket-filter context, which this run has none of");
                    case Goto g -> next = pc + 1 + g.offset();
                    case GotoLong g -> next = pc + 1 + g.offset();
                    case MayGoto g -> {
                        if (run.mayGoto-- <= 0) {
                            next = pc + 1 + g.offset();
                        }
                    }
                    case JumpImm j -> {
                        long d = r[j.dst().number()];
                        boolean taken = j.width() == Width.W64
                                ? Alu.jump64(j.condition(), d, j.imm())
                                : Alu.jump32(j.condition(), d, j.imm());
                        if (taken) {
                            next = pc + 1 + j.offset();
                        }
                    }
                    case JumpReg j -> {
                        long d = r[j.dst().number()];
                        long s = r[j.src().number()];
                        boolean taken = j.width() == Width.W64 ? Alu.jump64(j.condition(), d, s) : Alu.jump32(j.condition(), d, s);
                        if (taken) {
                            next = pc + 1 + j.offset();
                        }
                    }
                    case CallHelper c -> tailTarget = callHelper(machine, code, pc, c.helper(), r, run, depth);
                    // RFC 9669's callx names a helper by the register's value (the kernel has no callx).
                    case CallRegister c -> tailTarget = callHelper(machine, code, pc, r[c.register().number()], r, run,
                            depth);
                    case CallKfunc k -> throw new VmFault(code.name(), pc, "kfunc calls are not modelled by the VM");
                    case CallLocal c -> {
                        if (depth + 1 >= Machine.MAX_FRAMES) {
                            throw new VmFault(code.name(), pc, "more than " + Machine.MAX_FRAMES + " nested calls");
                        }
                        frames[depth++] = new Frame(code, next, r[6], r[7], r[8], r[9]);
                        r[10] = machine.framePointer(depth);
                        next = pc + 1 + c.offset();
                    }
                    case Exit e -> {
                        if (depth == base) {
                            return r[0];
                        }
                        Frame f = frames[--depth];
                        frames[depth] = null;
                        r[6] = f.r6();
                        r[7] = f.r7();
                        r[8] = f.r8();
                        r[9] = f.r9();
                        r[10] = machine.framePointer(depth);
                        r[1] = r[2] = r[3] = r[4] = r[5] = 0; // clobbered by the call, as after a helper
                        if (f.code() != code) {
                            code = f.code();
                            slots = code.slots();
                        }
                        next = f.returnSlot();
                    }
                }
            } catch (MemoryFault fault) {
                throw new VmFault(code.name(), pc, fault.getMessage());
            }
            if (tailTarget != null) { // a helper asked for a tail call: go on at the start of that program
                code = tailTarget;
                slots = code.slots();
                next = 0;
            }
            pc = next;
        }
    }

    /** Runs a helper; returns the program to continue in when it asked for a tail call, else null. */
    private static Code callHelper(Machine machine, Code code, int pc, long id, long[] r, Run run, int depth) {
        run.depth = depth; // where callbacks the helper makes return to
        run.pc = pc;
        r[0] = CompiledSupport.helper(machine, id, r[1], r[2], r[3], r[4], r[5], depth, code.name(), pc);
        // r1-r5 are clobbered by a call: make any use of them visible in differential tests.
        r[1] = r[2] = r[3] = r[4] = r[5] = 0;
        Code target = machine.takeTailCall();
        if (target != null) {
            r[1] = machine.tailCallContext();
        }
        return target;
    }

    private static long constant(Code code, int pc, LoadImm64 load) {
        if (load.pseudo() != Pseudo.NONE) {
            throw new VmFault(code.name(), pc, "64-bit load of a " + load.pseudo()
                    + " reference that was not resolved when the program was loaded into the VM");
        }
        return load.value();
    }

    private static void atomic(AddressSpace memory, long[] r, Atomic a) {
        long address = r[a.dst().number()] + a.offset();
        int size = a.size().bytes();
        int src = a.src().number();
        long old = memory.load(address, size);
        long operand = r[src];
        long updated;
        switch (a.op()) {
            case ADD -> updated = old + operand;
            case OR -> updated = old | operand;
            case AND -> updated = old & operand;
            case XOR -> updated = old ^ operand;
            case XCHG -> updated = operand;
            case CMPXCHG -> {
                boolean equal = size == 8 ? old == r[0] : (int) old == (int) r[0];
                if (equal) {
                    memory.store(address, size, operand);
                }
                r[0] = old;
                return;
            }
            default -> throw new IllegalStateException(a.op().toString());
        }
        memory.store(address, size, updated);
        if (a.fetch()) {
            r[src] = old;
        }
    }
}
