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
        stack = Collections.unmodifiableNavigableMap(new TreeMap<>(stack));
    }

    /**
     * A written stack cell.
     *
     * @param size  bytes written (1, 2, 4 or 8)
     * @param value what was written
     */
    public record Cell(int size, Value value) {
    }
}
