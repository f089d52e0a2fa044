package io.bpfstore.bytecode.sections;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The one table behind the kernel enums mirrored in this package ({@link ProgramType}, {@link MapType},
 * {@link AttachType}): number and name lookups, and the name itself. Each constant states only its kernel number;
 * its name as bpftool and libbpf print it is the constant's name in lower case ({@code PERCPU_ARRAY} →
 * {@code percpu_array}), which holds for every constant of the three (the tests compare them with libbpf's
 * tables). The kernel numbers are small and dense, so a plain array indexed by number serves the lookup that
 * disassembly and {@code bpftool}-style listings do for every program and map.
 */
final class KernelEnumIndex<E extends Enum<E>> {
    private final Object[] byNumber;
    private final Map<String, E> byName;
    private final String[] names;

    KernelEnumIndex(E[] values, ToIntFunction<E> number) {
        int max = -1;
        for (E value : values) {
            max = Math.max(max, number.applyAsInt(value));
        }
        byNumber = new Object[max + 1];
        byName = new HashMap<>();
        names = new String[values.length];
        for (E value : values) {
            names[value.ordinal()] = value.name().toLowerCase(Locale.ROOT);
            int n = number.applyAsInt(value);
            if (byNumber[n] != null) {
                throw new IllegalStateException("two constants with number " + n + ": " + byNumber[n] + ", " + value);
            }
            byNumber[n] = value;
            if (byName.put(name(value), value) != null) {
                throw new IllegalStateException("two constants named " + name(value));
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

    /** The name bpftool and libbpf print for {@code value}. */
    String name(E value) {
        return names[value.ordinal()];
    }

    /** The name of kernel number {@code number}, or the number itself when it is unknown here. */
    String nameOf(long number) {
        return byNumber(number).map(this::name).orElse(Long.toString(number));
    }
}
