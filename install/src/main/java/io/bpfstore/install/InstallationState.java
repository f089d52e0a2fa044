package io.bpfstore.install;

/** The state of one generation of an installation in the state database. */
enum InstallationState {
    /** The generation that runs: exactly one per installation once an operation finished. */
    ACTIVE,
    /** A generation an unfinished install or upgrade is bringing in; the journal says which. */
    PENDING;

    /** Its value in the {@code installation.state} column. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
