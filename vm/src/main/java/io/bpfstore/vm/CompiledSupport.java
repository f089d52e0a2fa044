package io.bpfstore.vm;

import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.MemoryFault;

/**
 * What compiled programs call besides the JVM's own instructions: helpers, faults, budgets, atomics and tail
 * calls. Public only because generated classes call it; not an API.
 */
public final class CompiledSupport {
    private CompiledSupport() {
    }

    /** The interface generated classes implement. */
    public interface Program {
        /** Runs the function starting at {@code slot} in a frame at call depth {@code depth}. */
        long call(int slot, Machine machine, long r1, long r2, long r3, long r4, long r5, int depth);
    }

    /** A memory fault at {@code slot} of {@code program}, as the interpreter reports it. */
    public static VmFault fault(MemoryFault fault, String program, int slot) {
        return new VmFault(program, slot, fault.getMessage());
    }

    /** A fault with a fixed reason (a jump outside the program, a kfunc, a legacy packet load). */
    public static VmFault fault(String program, int slot, String reason) {
        return new VmFault(program, slot, reason);
    }

    /** Frame pointer of {@code depth}, faulting past the deepest frame. */
    public static long frame(Machine machine, int depth, String program) {
        if (depth >= Machine.MAX_FRAMES) {
            throw new VmFault(program, 0, "more than " + Machine.MAX_FRAMES + " nested calls");
        }
        return machine.framePointer(depth);
    }

    /** Calls helper {@code id} (both forms call helpers here); remembers the depth for callbacks it makes. */
    public static long helper(Machine machine, long id, long r1, long r2, long r3, long r4, long r5, int depth,
                              String program, int slot) {
        Helper helper = machine.helperOrNull(id);
        if (helper == null) {
            throw new VmFault(program, slot, "call of helper " + id + ", which this run does not provide");
        }
        machine.depth(depth);
        return helper.call(machine, r1, r2, r3, r4, r5);
    }

    /** After a helper: whether it asked for a tail call. */
    public static boolean tailCallPending(Machine machine) {
        return machine.hasTailCall();
    }

    /** Runs the pending tail call in the frame at {@code depth} and returns its r0. */
    public static long tailCall(Machine machine, int depth) {
        Code target = machine.takeTailCall();
        return Compiler.compiled(target).call(0, machine, machine.tailCallContext(), 0, 0, 0, 0, depth);
    }

    /** A backward jump: counts against the run's instruction budget. */
    public static void backEdge(Machine machine, String program, int slot) {
        if (!machine.spend()) {
            throw new VmFault(program, slot, "instruction budget of the run exhausted");
        }
    }

    /** may_goto: true when the loop budget is used up (the jump is taken). */
    public static boolean mayGoto(Machine machine) {
        return machine.mayGotoExhausted();
    }

    /** An atomic operation (op: 0 add, 1 or, 2 and, 3 xor, 4 xchg, 5 cmpxchg); returns the old value. */
    public static long atomic(AddressSpace memory, long address, int size, int op, long operand, long r0) {
        long old = memory.load(address, size);
        switch (op) {
            case 0 -> memory.store(address, size, old + operand);
            case 1 -> memory.store(address, size, old | operand);
            case 2 -> memory.store(address, size, old & operand);
            case 3 -> memory.store(address, size, old ^ operand);
            case 4 -> memory.store(address, size, operand);
            default -> {
                if (size == 8 ? old == r0 : (int) old == (int) r0) {
                    memory.store(address, size, operand);
                }
            }
        }
        return old;
    }
}
