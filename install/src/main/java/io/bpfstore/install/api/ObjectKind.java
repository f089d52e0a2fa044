package io.bpfstore.install.api;

/** What a pinned object of an installation is. */
public enum ObjectKind {
    /** A map. */
    MAP,
    /** A program. */
    PROGRAM,
    /** A link. */
    LINK,
    /** The link of an XDP hook's composed dispatcher (shared by the installations on that hook). */
    DISPATCHER;

    /** The name {@code status} prints ({@code map}, {@code program}, ...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
