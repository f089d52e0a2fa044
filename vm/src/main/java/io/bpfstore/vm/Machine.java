package io.bpfstore.vm;

import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.Region;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state one program run sees besides its registers: memory, the helpers it may call, and the stack. One
 * machine runs one program invocation at a time; a replay makes one per chain and reuses it for every packet.
 */
public final class Machine {
    /** Bytes of stack a frame may use, as the kernel's MAX_BPF_STACK. */
    public static final int FRAME_SIZE = 512;
    /** Frames of bpf-to-bpf calls, as the kernel's MAX_CALL_FRAMES. */
    public static final int MAX_FRAMES = 8;
    /** Tail calls in one run, as the kernel's MAX_TAIL_CALL_CNT. */
    public static final int MAX_TAIL_CALLS = 33;

    private final AddressSpace memory;
    private final Region stack;
    private final long stackTop;
    private final Helper[] helpers;
    private Callbacks callbacks;
    private int depth;
    private long budget = Interpreter.DEFAULT_BUDGET;
    private long mayGoto = Interpreter.MAY_GOTO_BUDGET;
    private Code tailCallTarget;
    private long tailCallContext;
    private int tailCalls;

    /**
     * @param memory  the address space (the machine adds its stack to it)
     * @param helpers the helpers programs may call, by helper number
     */
    public Machine(AddressSpace memory, Map<Integer, Helper> helpers) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.stack = new Region("stack", new byte[FRAME_SIZE * (MAX_FRAMES + 1)], true);
        this.stackTop = memory.map(stack) + stack.bytes().length;
        int max = helpers.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.helpers = new Helper[max + 1];
        helpers.forEach((id, helper) -> this.helpers[id] = helper);
    }

    /** The address space programs read and write. */
    public AddressSpace memory() {
        return memory;
    }

    /** The helper with number {@code id}, if this machine has it. */
    public Optional<Helper> helper(long id) {
        return id >= 0 && id < helpers.length ? Optional.ofNullable(helpers[(int) id]) : Optional.empty();
    }

    /** The helper with number {@code id}, or null (the compiled form's fast path: no Optional per call). */
    Helper helperOrNull(long id) {
        return id >= 0 && id < helpers.length ? helpers[(int) id] : null;
    }

    /** Frame pointer (r10) of call depth {@code depth} (0 = the program's own frame). */
    long framePointer(int depth) {
        return stackTop - (long) depth * FRAME_SIZE;
    }

    /**
     * Asks the interpreter to continue in {@code target}, with r1 = {@code context}, when the current helper
     * returns (bpf_tail_call).
     *
     * @return false when the run has used up its tail calls (the helper then fails, as in the kernel)
     */
    public boolean tailCall(Code target, long context) {
        if (tailCalls >= MAX_TAIL_CALLS) {
            return false;
        }
        tailCalls++;
        tailCallTarget = Objects.requireNonNull(target, "target");
        tailCallContext = context;
        return true;
    }

    /** The context (r1) the pending tail call passes on. */
    long tailCallContext() {
        return tailCallContext;
    }

    /** Whether a helper asked for a tail call. */
    boolean hasTailCall() {
        return tailCallTarget != null;
    }

    /** The call depth of the helper running now (callbacks run one deeper). */
    void depth(int depth) {
        this.depth = depth;
    }

    int depth() {
        return depth;
    }

    /** Spends budget at a backward jump of compiled code; false when the run's budget is used up. */
    boolean spend() {
        return --budget >= 0;
    }

    /** Counts one may_goto; true when its loop budget is used up. */
    boolean mayGotoExhausted() {
        return mayGoto-- <= 0;
    }

    /** Sets the compiled form's budget of backward jumps for the next runs. */
    void budget(long budget) {
        this.budget = budget;
    }

    /** Takes the pending tail call, if any. */
    Code takeTailCall() {
        Code target = tailCallTarget;
        tailCallTarget = null;
        return target;
    }

    /** Runs a function of the current program as a callback (bpf_loop and the like). */
    interface Callbacks {
        long call(long address, long r1, long r2, long r3, long r4, long r5);
    }

    void callbacks(Callbacks callbacks) {
        this.callbacks = callbacks;
    }

    Callbacks callbacks() {
        return callbacks;
    }

    /**
     * Calls the callback at {@code address} (from {@code ld_imm64} of a function) with r1-r5 and returns its r0;
     * for helpers such as bpf_loop.
     */
    public long callback(long address, long r1, long r2, long r3, long r4, long r5) {
        return callbacks.call(address, r1, r2, r3, r4, r5);
    }

    /**
     * Resets per-run state (tail calls, loop budget) before a run. The stack is not cleared, as the kernel does
     * not clear it: the verifier keeps programs from reading stack they did not write.
     */
    void startRun() {
        tailCalls = 0;
        depth = 0;
        mayGoto = Interpreter.MAY_GOTO_BUDGET;
        tailCallTarget = null;
    }
}
