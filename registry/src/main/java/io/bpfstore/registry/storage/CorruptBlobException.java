package io.bpfstore.registry.storage;

import io.bpfstore.store.image.Digest;
import java.io.IOException;

/**
 * The blob store returned bytes that do not hash to the digest they were asked for: they are refused (never
 * served as the blob) and the failure is logged. A reader that already sent part of the blob aborts the response.
 */
public final class CorruptBlobException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param store the store, for the report @param expected the digest asked for @param actual what came back */
    public CorruptBlobException(String store, Digest expected, String actual) {
        super("blob store " + store + " returned corrupt content for " + expected + " (" + actual + "); refused");
    }
}
