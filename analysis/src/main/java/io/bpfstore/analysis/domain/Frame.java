package io.bpfstore.analysis.domain;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One stack frame: eleven registers and the stack cells written so far (by offset from the frame pointer).
 *
 * @param registers r0 to r10
 * @param stack     written cells; bytes not covered are unknown
 */
public record Frame(List<Value> registers, SortedMap<Integer, Cell> stack) {
    /** Copies. */
    public Frame {
        if (registers.size() != 11) {
            throw new IllegalArgumentException("11 registers, not " + registers.size());
        }
        registers = List.copyOf(registers);
        stack = stack.getClass() == FROZEN ? stack : Collections.unmodifiableNavigableMap(new TreeMap<>(stack));
    }

    /**
     * The class of the read-only stacks frames make: a frame's stack is copied once, when it is made, and shared by
     * the frames made from it (every step of the analysis makes frames; copying their stacks again was a tenth of
     * its time). Only frames wrap a stack in this class, around a copy no one else holds.
     */
    private static final Class<?> FROZEN = Collections.unmodifiableNavigableMap(new TreeMap<>()).getClass();

    /**
     * A written stack cell.
     *
     * @param size  bytes written (1, 2, 4 or 8)
     * @param value what was written
     */
    public record Cell(int size, Value value) {
    }
}
