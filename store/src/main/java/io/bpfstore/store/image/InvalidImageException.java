package io.bpfstore.store.image;

/** An OCI image, manifest, index or layout that is malformed: says which document and what is wrong. */
public class InvalidImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A problem with the document named by {@code where} (e.g. "index.json", "manifest sha256:ab..."). */
    public InvalidImageException(String where, String problem) {
        super(where + ": " + problem);
    }
}
