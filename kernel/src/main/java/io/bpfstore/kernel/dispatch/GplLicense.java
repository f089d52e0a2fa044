package io.bpfstore.kernel.dispatch;

import java.util.Set;

/** The kernel's {@code license_is_gpl_compatible}: which license strings let a program call GPL-only helpers. */
final class GplLicense {
    private static final Set<String> COMPATIBLE = Set.of("GPL", "GPL v2", "GPL and additional rights",
            "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL");

    private GplLicense() {
    }

    static boolean compatible(String license) {
        return COMPATIBLE.contains(license);
    }
}
