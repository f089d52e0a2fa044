package io.bpfstore.store.image;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a client fetches a manifest, sent in the {@value #HEADER} request header so the registry counts downloads
 * honestly: only pulls and installs are downloads. Reading a manifest to check, verify, sign or resolve a package
 * is not. A request without the header (docker, skopeo, oras) counts as a pull, since that is what those clients
 * do with a manifest.
 */
public enum FetchPurpose {
    /** {@code bpfstore pull}, or any download of the package for later use. */
    PULL(true),
    /** {@code bpfstore install} (and the agent's installs). */
    INSTALL(true),
    /** Reading a manifest to learn its digest (before a verified pull, a signature, a policy decision). */
    RESOLVE(false),
    /** {@code bpfstore verify}: checking the signature of a published package. */
    VERIFY(false),
    /** {@code bpfstore check}: the clash check of packages against each other and the host. */
    CHECK(false),
    /** {@code bpfstore policy check}: a host policy's decision on a package. */
    POLICY(false),
    /** Fetching a signature image (it is not a package). */
    SIGNATURE(false);

    /** The request header naming the purpose (its value is the enum name in lower case). */
    public static final String HEADER = "Bpfstore-Fetch-Purpose";

    private final boolean download;

    FetchPurpose(boolean download) {
        this.download = download;
    }

    /** The header value. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a manifest fetched for this purpose counts as a download. */
    public boolean isDownload() {
        return download;
    }

    /**
     * Whether a manifest GET with this {@value #HEADER} value counts as a download: absent (plain OCI clients
     * pull), {@code pull} or {@code install}. Any other value, known or not, is not a download.
     */
    public static boolean countsAsDownload(Optional<String> header) {
        if (header.isEmpty()) {
            return true;
        }
        String v = header.get().strip().toUpperCase(Locale.ROOT);
        for (FetchPurpose p : values()) {
            if (p.name().equals(v)) {
                return p.download;
            }
        }
        return false;
    }
}
