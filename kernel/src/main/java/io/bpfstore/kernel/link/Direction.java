package io.bpfstore.kernel.link;

/** Which way the packets a tc program sees are going. */
public enum Direction {
    /** Packets the interface receives. */
    INGRESS,
    /** Packets the interface sends. */
    EGRESS
}
