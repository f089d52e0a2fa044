package io.bpfstore.install.api;

/** The tc direction on an interface ({@code --direction}). */
public enum TrafficDirection {
    /** Packets arriving on the interface. */
    INGRESS,
    /** Packets leaving through the interface. */
    EGRESS
}
