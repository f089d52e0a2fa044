package io.bpfstore.kernel;

/** The kernel's rule for program and map names: at most 15 bytes of [A-Za-z0-9_.]. */
final class Names {
    private Names() {
    }

    /** Returns {@code name} or throws naming what is wrong with it. */
    static String check(String kind, String name) {
        if (name.length() > 15) {
            throw new IllegalArgumentException(kind + " name \"" + name + "\" is longer than the kernel's 15 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException(kind + " name \"" + name + "\" has '" + c
                        + "' at position " + i + "; the kernel allows only letters, digits, '_' and '.'");
            }
        }
        return name;
    }
}
