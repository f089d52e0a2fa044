package io.bpfstore.kernel.sys;

import io.bpfstore.bytecode.Reportable;

/** Thrown when bpf(2) cannot be reached from this JVM: not Linux, or a CPU architecture we have no syscall number for. */
public final class UnsupportedPlatformException extends RuntimeException implements Reportable {

    /** Creates the exception with a sentence saying what is unsupported and what is. */
    public UnsupportedPlatformException(String message) {
        super(message);
    }
}
