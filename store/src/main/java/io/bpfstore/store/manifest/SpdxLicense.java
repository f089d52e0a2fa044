package io.bpfstore.store.manifest;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * SPDX licence expressions: the syntax check for {@code license:} and the mapping from the kernel's licence
 * strings (the object's {@code license} section) to SPDX.
 */
public final class SpdxLicense {
    // An SPDX id or LicenseRef, optionally with "+"; combined with AND / OR / WITH and parentheses.
    private static final Pattern ID = Pattern.compile("(?:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\\+?");
    /** Longest accepted expression. */
    public static final int MAX_LENGTH = 256;

    private SpdxLicense() {
    }

    /** Why {@code expression} is not an SPDX licence expression, or null when it is one. */
    public static String problem(String expression) {
        if (expression == null || expression.isBlank()) {
            return "must not be empty";
        }
        if (expression.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        String spaced = expression.replace("(", " ( ").replace(")", " ) ").trim();
        int depth = 0;
        boolean expectOperand = true;
        for (String token : spaced.split("\\s+")) {
            switch (token) {
                case "(" -> {
                    if (!expectOperand) {
                        return "\"" + expression + "\": unexpected '('";
                    }
                    depth++;
                }
                case ")" -> {
                    if (expectOperand || --depth < 0) {
                        return "\"" + expression + "\": unbalanced ')'";
                    }
                }
                case "AND", "OR", "WITH" -> {
                    if (expectOperand) {
                        return "\"" + expression + "\": operator " + token + " without a licence before it";
                    }
                    expectOperand = true;
                }
                default -> {
                    if (!expectOperand || !ID.matcher(token).matches()) {
                        return "\"" + expression + "\" is not an SPDX licence expression (e.g. GPL-2.0-only, "
                                + "MIT, \"GPL-2.0-only OR BSD-2-Clause\")";
                    }
                    expectOperand = false;
                }
            }
        }
        if (expectOperand || depth != 0) {
            return "\"" + expression + "\": incomplete expression";
        }
        return null;
    }

    /**
     * The SPDX expression for a kernel licence string ({@code SEC("license")}), as the kernel's
     * {@code license_is_gpl_compatible()} list spells them; empty for strings with no SPDX meaning.
     */
    public static Optional<String> fromKernelLicense(String kernel) {
        return Optional.ofNullable(switch (kernel) {
            case "GPL", "GPL v2", "GPL and additional rights" -> "GPL-2.0-only";
            case "Dual BSD/GPL" -> "GPL-2.0-only OR BSD-2-Clause";
            case "Dual MIT/GPL" -> "GPL-2.0-only OR MIT";
            case "Dual MPL/GPL" -> "GPL-2.0-only OR MPL-1.1";
            case "Proprietary" -> "LicenseRef-Proprietary";
            default -> problem(kernel) == null ? kernel : null; // already an SPDX expression ("MIT", "BSD-3-Clause")
        });
    }
}
