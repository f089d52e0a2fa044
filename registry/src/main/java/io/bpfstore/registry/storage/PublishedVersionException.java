package io.bpfstore.registry.storage;

/**
 * A push would replace a published package version with other content while versions are immutable. Raised by
 * {@link Repositories#putManifest} inside the write's transaction, so that pushes racing through several registry
 * instances cannot both pass the check.
 */
public final class PublishedVersionException extends MetadataException {
    private static final long serialVersionUID = 1L;

    private final String digest;
    private final boolean yanked;

    /**
     * @param pkg     the package, {@code NAMESPACE/NAME}
     * @param version the version
     * @param digest  the manifest digest the version was published with
     * @param yanked  whether that version is yanked
     */
    public PublishedVersionException(String pkg, String version, String digest, boolean yanked) {
        super(pkg + " " + version + " is already published with other content (" + digest + ")"
                + (yanked ? ", yanked" : ""));
        this.digest = digest;
        this.yanked = yanked;
    }

    /** The manifest digest the version was published with. */
    public String digest() {
        return digest;
    }

    /** Whether the published version is yanked. */
    public boolean yanked() {
        return yanked;
    }
}
