package io.bpfstore.vm;

/**
 * A kernel helper function as the VM models it: arguments in r1-r5, result in r0. It reaches memory, maps and
 * the packet through the {@link Machine}.
 */
@FunctionalInterface
public interface Helper {
    /** Runs the helper; the result goes to r0. */
    long call(Machine machine, long r1, long r2, long r3, long r4, long r5);
}
