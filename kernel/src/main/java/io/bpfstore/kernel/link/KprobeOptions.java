package io.bpfstore.kernel.link;

import java.util.Objects;

/**
 * Which kernel function {@link Kprobe#attach} probes.
 *
 * @param function  the kernel symbol, e.g. {@code tcp_sendmsg}
 * @param offset    bytes into the function (0: its entry); must be 0 for a return probe
 * @param retprobe  whether to run at the function's return (kretprobe) instead of its entry
 * @param cookie    a value the program reads with bpf_get_attach_cookie; 0 if unused
 */
public record KprobeOptions(String function, long offset, boolean retprobe, long cookie) {

    /** Checks the fields. */
    public KprobeOptions {
        Objects.requireNonNull(function, "function");
        if (function.isEmpty()) {
            throw new IllegalArgumentException("kprobe function name is empty");
        }
        if (offset < 0 || (retprobe && offset != 0)) {
            throw new IllegalArgumentException("offset " + offset + " is not allowed" + (retprobe ? " for a return probe" : ""));
        }
    }

    /** The entry of {@code function}. */
    public static KprobeOptions entry(String function) {
        return new KprobeOptions(function, 0, false, 0);
    }

    /** The return of {@code function}. */
    public static KprobeOptions ret(String function) {
        return new KprobeOptions(function, 0, true, 0);
    }
}
