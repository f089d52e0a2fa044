package io.bpfstore.cli;

/** A failure to report to the user as one line, without a stack trace (bad input, missing file, ...). */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
        super(message);
    }

    UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
