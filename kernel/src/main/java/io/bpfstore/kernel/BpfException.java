package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.SyscallException;
import java.util.Optional;

/**
 * The kernel refused a bpf(2) operation. The message says what was being done, the errno and what it means
 * in this context, e.g. {@code load program "xdp_count" (xdp): EACCES — the verifier rejected it}, followed
 * by the verifier log when there is one.
 */
public class BpfException extends RuntimeException {
    private final String operation;
    private final int errno;
    private final String verifierLog;
    private final String explanation;

    /**
     * Creates the exception.
     *
     * @param operation   what was being done, e.g. {@code load program "x" (xdp)}
     * @param errno       the positive errno
     * @param explanation what the errno means here; null for the errno's general meaning
     * @param verifierLog the verifier (or BTF) log, empty if none
     */
    public BpfException(String operation, int errno, String explanation, String verifierLog) {
        super(message(operation, errno, explanation, verifierLog));
        this.operation = operation;
        this.errno = errno;
        this.verifierLog = verifierLog == null ? "" : verifierLog;
        this.explanation = explanation;
    }

    /** Wraps a failed syscall with what was being done. */
    public static BpfException of(String operation, SyscallException cause) {
        BpfException e = new BpfException(operation, cause.errno(), null, "");
        e.initCause(cause);
        return e;
    }

    /** What was being done. */
    public String operation() {
        return operation;
    }

    /** The positive errno. */
    public int errnoNumber() {
        return errno;
    }

    /** The errno as a named constant, if we name it. */
    public Optional<Errno> errno() {
        return Errno.of(errno);
    }

    /** The verifier or BTF log that came with the failure; empty if none was produced or requested. */
    public String verifierLog() {
        return verifierLog;
    }

    /** The first line of the message: operation, errno and meaning, without the log. */
    public String summary() {
        return summary(operation, errno, explanation);
    }

    private static String message(String operation, int errno, String explanation, String log) {
        String first = summary(operation, errno, explanation);
        return log == null || log.isBlank() ? first : first + "\nverifier log:\n" + log.strip();
    }

    private static String summary(String operation, int errno, String explanation) {
        Optional<Errno> named = Errno.of(errno);
        String name = named.map(Enum::name).orElse("errno " + errno);
        String meaning = explanation != null ? explanation : named.map(Errno::meaning).orElse("unknown error");
        return operation + ": " + name + " — " + meaning;
    }
}
