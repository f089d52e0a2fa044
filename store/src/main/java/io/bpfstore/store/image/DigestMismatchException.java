package io.bpfstore.store.image;

/** Content whose bytes do not hash to (or are not the size of) the digest that names it: corrupt or tampered. */
public final class DigestMismatchException extends InvalidImageException {
    private static final long serialVersionUID = 1L;

    private final String expected;

    /** {@code what} (e.g. "blob") named {@code expected} but its content does not match: {@code problem}. */
    public DigestMismatchException(String what, Digest expected, String problem) {
        super(what + " " + expected, problem);
        this.expected = expected.toString();
    }

    /** The digest the content was supposed to have. */
    public Digest expected() {
        return Digest.parse(expected);
    }
}
