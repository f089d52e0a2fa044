package io.bpfstore.kernel.netlink;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.sys.Errno;
import java.util.Optional;

/**
 * The kernel refused an rtnetlink request. Besides the errno it may have said why in words (the extended
 * acknowledgement, e.g. "Native and generic XDP can't be active at the same time"); the message includes it.
 */
public final class NetlinkException extends BpfException {
    private final String kernelMessage;

    /**
     * Creates the exception.
     *
     * @param operation     what was being done
     * @param errno         the positive errno
     * @param kernelMessage the kernel's own explanation, empty if it gave none
     */
    public NetlinkException(String operation, int errno, String kernelMessage) {
        super(operation, errno, kernelMessage.isEmpty() ? null
                : Errno.of(errno).map(Errno::meaning).orElse("refused") + " (kernel: \"" + kernelMessage + "\")", "");
        this.kernelMessage = kernelMessage;
    }

    /** The kernel's own words, if it gave any. */
    public Optional<String> kernelMessage() {
        return kernelMessage.isEmpty() ? Optional.empty() : Optional.of(kernelMessage);
    }
}
