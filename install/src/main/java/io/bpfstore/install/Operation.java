package io.bpfstore.install;

import java.util.Locale;

/** The operations the journal records until they finish. */
enum Operation {
    /** A new installation. */
    INSTALL,
    /** An installation moving to its next generation. */
    UPGRADE,
    /** An installation going away. */
    UNINSTALL;

    /** Its value in the {@code journal.operation} column. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operation a journal row names; empty for a value this bpfstore does not know. */
    static java.util.Optional<Operation> of(String label) {
        for (Operation o : values()) {
            if (o.label().equals(label)) {
                return java.util.Optional.of(o);
            }
        }
        return java.util.Optional.empty();
    }
}
