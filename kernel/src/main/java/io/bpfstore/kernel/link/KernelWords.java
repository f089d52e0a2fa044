package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.netlink.NetlinkException;
import io.bpfstore.kernel.sys.Errno;

/** Puts our explanation of a refusal and the kernel's own words (netlink extended ack) into one exception. */
final class KernelWords {
    private KernelWords() {
    }

    /**
     * A {@link BpfException} for {@code what} with the errno of {@code cause}, explained by {@code explanation}
     * (null: the errno's general meaning) followed by what the kernel said, if it said anything.
     */
    static BpfException rethrow(String what, String explanation, BpfException cause) {
        String kernel = cause instanceof NetlinkException n ? n.kernelMessage().orElse("") : "";
        if (kernel.isEmpty() && explanation == null && cause.operation().equals(what)) {
            return cause;
        }
        String base = explanation != null ? explanation
                : Errno.of(cause.errnoNumber()).map(Errno::meaning).orElse("refused");
        BpfException e = new BpfException(what, cause.errnoNumber(), kernel.isEmpty() ? base
                : base + " (kernel: \"" + kernel + "\")", "");
        e.initCause(cause);
        return e;
    }
}
