package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.sys.Errno;

/**
 * The running kernel lacks the hook altogether (no tcx before 6.6, no kprobes without CONFIG_KPROBES ...),
 * as a feature probe established after the attach failed or before it was tried. Nothing is attached.
 */
public final class UnsupportedHookException extends BpfException {

    /**
     * Creates the exception.
     *
     * @param operation what was being done
     * @param reason    which kernel feature is missing and what provides it
     */
    public UnsupportedHookException(String operation, String reason) {
        super(operation, Errno.EOPNOTSUPP.number(), reason, "");
    }
}
