package io.bpfstore.bytecode.sections;

import java.util.Optional;

/** What an XDP program returns ({@code enum xdp_action}), named once for the analysis, the VM and the dispatcher. */
public enum XdpAction {
    /** {@code XDP_ABORTED}: drop, and trace the program's error. */
    ABORTED,
    /** {@code XDP_DROP}: drop the packet. */
    DROP,
    /** {@code XDP_PASS}: hand the packet to the network stack. */
    PASS,
    /** {@code XDP_TX}: send it back out of the interface it came in on. */
    TX,
    /** {@code XDP_REDIRECT}: send it where {@code bpf_redirect*} said. */
    REDIRECT;

    /**
     * libxdp's {@code XDP_DISPATCHER_RETVAL}, outside the kernel's enum: a dispatcher member returns it to hand the
     * packet on like {@link #PASS}.
     */
    public static final int DISPATCHER_RETVAL = 31;

    /** The kernel's number, the program's return value: the constants stand in the kernel's order from 0. */
    public int number() {
        return ordinal();
    }

    /** The kernel's constant name, e.g. {@code XDP_PASS}. */
    public String kernelName() {
        return "XDP_" + name();
    }

    /** The action with return value {@code number}, or empty. */
    public static Optional<XdpAction> fromNumber(long number) {
        return number >= 0 && number < values().length ? Optional.of(values()[(int) number]) : Optional.empty();
    }
}
