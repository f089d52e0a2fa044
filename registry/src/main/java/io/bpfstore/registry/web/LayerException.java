package io.bpfstore.registry.web;

/** A package layer that cannot be read as a gzip'd tar holding one object file; the message says what and where. */
public final class LayerException extends Exception {
    /** The problem, naming the layer part and offset where it applies. */
    public LayerException(String message) {
        super(message);
    }
}
