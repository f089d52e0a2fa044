package io.bpfstore.bytecode.sections;

import java.util.Optional;

/**
 * What a tc or tcx program returns ({@code TC_ACT_*} of {@code linux/pkt_cls.h}), named once for the analysis and
 * the VM. tcx reads three of them under its own names: {@code TCX_NEXT} is {@link #UNSPEC}, {@code TCX_PASS}
 * {@link #OK}, {@code TCX_DROP} {@link #SHOT}, {@code TCX_REDIRECT} {@link #REDIRECT}.
 */
public enum TcAction {
    /** {@code TC_ACT_UNSPEC}: the default action (tcx: run the next program). */
    UNSPEC,
    /** {@code TC_ACT_OK}: let the packet through. */
    OK,
    /** {@code TC_ACT_RECLASSIFY}: classify it again. */
    RECLASSIFY,
    /** {@code TC_ACT_SHOT}: drop it. */
    SHOT,
    /** {@code TC_ACT_PIPE}: go on with the next action. */
    PIPE,
    /** {@code TC_ACT_STOLEN}: consumed, as if dropped. */
    STOLEN,
    /** {@code TC_ACT_QUEUED}: consumed and queued. */
    QUEUED,
    /** {@code TC_ACT_REPEAT}: run the action again. */
    REPEAT,
    /** {@code TC_ACT_REDIRECT}: send it where {@code bpf_redirect*} said. */
    REDIRECT,
    /** {@code TC_ACT_TRAP}: hand it to the CPU of a hardware-offloaded filter. */
    TRAP;

    /** The kernel's number, the program's return value: the constants stand in the kernel's order from -1. */
    public int number() {
        return ordinal() - 1;
    }

    /** The kernel's constant name, e.g. {@code TC_ACT_SHOT}. */
    public String kernelName() {
        return "TC_ACT_" + name();
    }

    /** The action with return value {@code number}, or empty. */
    public static Optional<TcAction> fromNumber(long number) {
        return number >= -1 && number < values().length - 1 ? Optional.of(values()[(int) number + 1]) : Optional.empty();
    }
}
