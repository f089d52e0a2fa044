package io.bpfstore.agent.data;

/** Reading an installation's data failed: the message names the installation, map and what went wrong. */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a one-line message. */
    public DataException(String message) {
        super(message);
    }
}
