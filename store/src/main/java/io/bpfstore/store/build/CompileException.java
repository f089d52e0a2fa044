package io.bpfstore.store.build;

import io.bpfstore.bytecode.Reportable;

/** clang refused a C source: carries clang's own diagnostics, which say what and where. */
public final class CompileException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    private final String diagnostics;

    /** clang failed on {@code source} with {@code diagnostics} (its stderr). */
    public CompileException(String source, String diagnostics) {
        super("clang could not compile " + source + ":\n" + diagnostics.strip());
        this.diagnostics = diagnostics;
    }

    /** clang's stderr, unchanged. */
    public String diagnostics() {
        return diagnostics;
    }
}
