package io.bpfstore.kernel.probe;

/** The verdict of one feature probe. */
public enum Support {
    /** The kernel accepted the probe. */
    SUPPORTED,
    /** The kernel does not have the feature. */
    UNSUPPORTED,
    /** The kernel has the feature but refused it to this caller (EPERM: capabilities, lockdown, LSM policy). */
    DENIED;

    /** Whether a program or map of this kind can be loaded by this caller. */
    public boolean usable() {
        return this == SUPPORTED;
    }
}
