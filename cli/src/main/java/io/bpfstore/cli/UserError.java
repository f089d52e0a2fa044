package io.bpfstore.cli;

import io.bpfstore.bytecode.Reportable;

/**
 * A failure the CLI itself finds, reported as one line without a stack trace: bad input, a missing file
 * ({@link #UserError(String)}), or an option that cannot be used as given ({@link #usage(String)}).
 */
final class UserError extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;
    private final int exitStatus;

    UserError(String message) {
        this(message, null, ERROR);
    }

    UserError(String message, Throwable cause) {
        this(message, cause, ERROR);
    }

    private UserError(String message, Throwable cause, int exitStatus) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /** A command line that cannot be used as given (a bad option value, options that do not go together). */
    static UserError usage(String message) {
        return new UserError(message, null, USAGE);
    }

    @Override
    public int exitStatus() {
        return exitStatus;
    }
}
