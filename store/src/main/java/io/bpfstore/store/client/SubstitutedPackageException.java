package io.bpfstore.store.client;

import io.bpfstore.store.image.InvalidImageException;

/**
 * A registry served a package other than the one asked for: its label names another package, or another version
 * than the tag pulled (e.g. an older signed version moved under a newer tag). Nothing is written.
 */
public final class SubstitutedPackageException extends InvalidImageException {
    private static final long serialVersionUID = 1L;

    /** {@code what} was asked for; {@code problem} says what was served instead. */
    public SubstitutedPackageException(String what, String problem) {
        super(what, problem);
    }
}
