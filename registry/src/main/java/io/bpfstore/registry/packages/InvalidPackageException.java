package io.bpfstore.registry.packages;

/** An image claims to be a package (it has the package label) but the label is malformed or inconsistent. */
public final class InvalidPackageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where (label and field) */
    public InvalidPackageException(String message) {
        super(message);
    }
}
