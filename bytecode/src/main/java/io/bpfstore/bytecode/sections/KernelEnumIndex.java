package io.bpfstore.bytecode.sections;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Number and name lookups over one of the kernel enums mirrored in this package. The kernel numbers are small
 * and dense, so a plain array indexed by number serves the lookup that disassembly and {@code bpftool}-style
 * listings do for every program and map.
 */
final class KernelEnumIndex<E extends Enum<E>> {
    private final Object[] byNumber;
    private final Map<String, E> byName;

    KernelEnumIndex(E[] values, ToIntFunction<E> number, Function<E, String> name) {
        int max = -1;
        for (E value : values) {
            max = Math.max(max, number.applyAsInt(value));
        }
        byNumber = new Object[max + 1];
        byName = new HashMap<>();
        for (E value : values) {
            int n = number.applyAsInt(value);
            if (byNumber[n] != null) {
                throw new IllegalStateException("two constants with number " + n + ": " + byNumber[n] + ", " + value);
            }
            byNumber[n] = value;
            if (byName.put(name.apply(value), value) != null) {
                throw new IllegalStateException("two constants named " + name.apply(value));
            }
        }
    }

    @SuppressWarnings("unchecked")
    Optional<E> byNumber(long number) {
        if (number < 0 || number >= byNumber.length) {
            return Optional.empty();
        }
        return Optional.ofNullable((E) byNumber[(int) number]);
    }

    Optional<E> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
