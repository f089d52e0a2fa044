package io.bpfstore.vm;

/**
 * Runs programs: the {@link Interpreter} (the reference) or the {@link Compiler}'s JVM bytecode. Both give the
 * same r0, memory effects and faults for every program; the compiled form is tested against the interpreter.
 */
public interface Executor {
    /** Runs {@code code} with r1 and r2 set; returns r0 at its exit. */
    long run(Machine machine, Code code, long r1, long r2);
}
