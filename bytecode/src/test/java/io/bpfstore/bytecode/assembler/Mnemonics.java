package io.bpfstore.bytecode.assembler;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Assemblers' word tables built from the instruction model's enums, so that a word cannot drift from its operation. */
final class Mnemonics {
    private Mnemonics() {
    }

    /** Each value under {@code key} of it. */
    static <E extends Enum<E>> Map<String, E> byKey(E[] values, Function<E, String> key) {
        return Arrays.stream(values).collect(Collectors.toUnmodifiableMap(key, v -> v));
    }

    /** Each value under {@code prefix} and its constant's name in lower case ({@code "j"} and EQ: {@code jeq}). */
    static <E extends Enum<E>> Map<String, E> lowerCase(String prefix, E[] values) {
        return byKey(values, v -> prefix + v.name().toLowerCase(Locale.ROOT));
    }
}
