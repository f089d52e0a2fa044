package io.bpfstore.store.image;

import io.bpfstore.bytecode.Reportable;

/** An OCI image, manifest, index or layout that is malformed: says which document and what is wrong. */
public class InvalidImageException extends RuntimeException implements Reportable {
    private static final long serialVersionUID = 1L;

    /** A problem with the document named by {@code where} (e.g. "index.json", "manifest sha256:ab..."). */
    public InvalidImageException(String where, String problem) {
        super(where + ": " + problem);
    }

    /** The first line, marked as invalid image for the user. */
    @Override
    public String userMessage() {
        return "invalid image: " + Reportable.super.userMessage();
    }
}
