package io.bpfstore.bytecode.helpers;

import java.util.Objects;

/**
 * One parameter of a helper's C prototype.
 *
 * @param type the C type as written, e.g. {@code const void *}, {@code u64}; {@code ...} for the variadic tail
 * @param name the parameter name as written (empty for {@code ...})
 * @param kind what the argument is
 */
public record HelperArgument(String type, String name, ArgumentKind kind) {
    /** Checks that no part is null. */
    public HelperArgument {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
