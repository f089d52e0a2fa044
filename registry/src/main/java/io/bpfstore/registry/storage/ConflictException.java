package io.bpfstore.registry.storage;

/** A write collided with existing state the caller must not overwrite (publisher or namespace taken). */
public final class ConflictException extends MetadataException {
    private static final long serialVersionUID = 1L;

    /** @param message what already exists */
    public ConflictException(String message) {
        super(message);
    }
}
