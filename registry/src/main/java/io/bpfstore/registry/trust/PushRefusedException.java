package io.bpfstore.registry.trust;

/** A manifest push the trust checks refuse; the message says which check and why. */
public final class PushRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean denied;

    /**
     * @param denied  true when the namespace's signature rule refuses (OCI {@code DENIED}), false when the
     *                content is invalid (OCI {@code MANIFEST_INVALID})
     * @param message what was refused and why
     */
    public PushRefusedException(boolean denied, String message) {
        super(message);
        this.denied = denied;
    }

    /** Whether this is a policy denial rather than invalid content. */
    public boolean denied() {
        return denied;
    }
}
