package io.bpfstore.bytecode.asm;

import java.util.Objects;

/** Range checks for the fixed-width fields of an instruction, shared by the record constructors. */
final class Fields {
    private Fields() {
    }

    /** Checks that {@code value} fits the signed 16-bit offset field. */
    static int offset16(String what, int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + value + " does not fit the 16-bit offset field");
        }
        return value;
    }

    /** Checks that a record component is present. */
    static <T> T present(String what, T value) {
        return Objects.requireNonNull(value, what);
    }
}
