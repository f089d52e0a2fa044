package io.bpfstore.kernel.sys;

/**
 * A bpf(2) call failed with an errno. Low-level: the typed layer catches it and says what it was doing
 * (see {@code io.bpfstore.kernel.BpfException}).
 */
public final class SyscallException extends RuntimeException {
    private final BpfCommand command;
    private final int errno;

    /** Records the failed command and the errno the kernel returned. */
    public SyscallException(BpfCommand command, int errno) {
        super("bpf(BPF_" + command + ") failed with errno " + errno);
        this.command = command;
        this.errno = errno;
    }

    /** The command that failed. */
    public BpfCommand command() {
        return command;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }
}
