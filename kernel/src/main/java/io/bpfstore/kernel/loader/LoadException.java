package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.Reportable;

/**
 * The loader could not prepare an object for this kernel: a missing kfunc, a map type the kernel lacks, a pinned
 * map that does not match, an object built for another byte order... The message names what was being loaded and
 * what is missing, in one line.
 */
public class LoadException extends RuntimeException implements Reportable {
    /** Creates the exception with its one-line message. */
    public LoadException(String message) {
        super(message);
    }

    /** Creates the exception with its one-line message and the error that caused it. */
    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line: the loader's verdict, without the verifier log that may follow it. */
    @Override
    public String userMessage() {
        return Reportable.firstLine(getMessage());
    }
}
