package io.bpfstore.bytecode;

/**
 * An exception whose message is meant for the person running bpfstore: bad input, a refusal, an unreachable
 * registry. It carries its own one-line message and exit status, so the command line reports every library's
 * typed exceptions the same way without knowing their types. Anything else that escapes a command is a bug in
 * bpfstore and is reported as an internal error.
 *
 * <p>It lives in the lowest module so that every module's exceptions can implement it. The exit statuses are
 * the ones the command line documents (README, "Exit status").
 */
public interface Reportable {
    /** Exit status: a failure (bad input, a refusal, an unreachable registry, a kernel error). */
    int ERROR = 1;
    /** Exit status: the command line itself was wrong (unknown option, missing or malformed argument). */
    int USAGE = 2;
    /** Exit status: the command ran and found problems (clash errors, doctor findings, a policy denial). */
    int FINDINGS = 3;

    /** The exception's message (implemented by {@link Throwable#getMessage()}). */
    String getMessage();

    /**
     * What went wrong and where, for the user, without class names: the message, unless the type keeps a log
     * (a verifier's, a compiler's) out of it.
     */
    default String userMessage() {
        String m = getMessage();
        return m == null ? "failed" : m;
    }

    /** The first line of {@code message}: a verdict without the log that follows it. */
    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The process exit status this failure ends a command with; {@link #ERROR} unless overridden. */
    default int exitStatus() {
        return ERROR;
    }
}
