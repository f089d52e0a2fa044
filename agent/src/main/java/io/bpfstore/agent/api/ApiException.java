package io.bpfstore.agent.api;

/**
 * A request the agent refused or could not carry out, with the HTTP status it answers with: 400 malformed,
 * 403 caller without the rights, 404 unknown installation or route, 409 conflicting state, 413 too large,
 * 422 refused by a gate (signature, policy, kernel fit, clash), 503 agent not reachable, 500 otherwise.
 * The message is one line a user can act on; nothing was changed.
 */
public final class ApiException extends RuntimeException {
    private final int status;

    /** A refusal with {@code status} and a one-line {@code message}. */
    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** A refusal with a cause kept for the log. */
    public ApiException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }
}
