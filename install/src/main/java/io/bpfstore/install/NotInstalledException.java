package io.bpfstore.install;

/**
 * The installation an operation names is not installed: a refusal of its own type, so that a caller that answers
 * "no such thing" differently from other refusals (the agent's API: 404 rather than 422) need not look first.
 */
public final class NotInstalledException extends InstallException {
    private static final long serialVersionUID = 1L;

    /** Installation {@code name} is not installed. */
    public NotInstalledException(String name) {
        super(name + " is not installed");
    }
}
