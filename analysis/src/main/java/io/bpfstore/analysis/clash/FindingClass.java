package io.bpfstore.analysis.clash;

/** What kind of clash a finding reports. */
public enum FindingClass {
    /** The package needs a program type, map type, helper or kfunc that this kernel lacks. */
    KERNEL_FIT,
    /**
     * A hook that holds one program (XDP on an interface, a namespace's flow dissector, a legacy tc priority and
     * handle, a struct_ops name) is already taken or wanted by two packages; or sk_lookup programs whose order
     * decides which socket is picked.
     */
    EXCLUSIVE_HOOK,
    /** On a shared hook, an earlier program may end the chain before a later one runs (traffic not nameable). */
    CHAIN_ORDER,
    /** On a shared hook, one program drops, redirects or rewrites traffic another one matches (traffic named). */
    SEMANTIC_OVERLAP,
    /**
     * On a shared hook, two programs write the same packet bytes (a header field, a checksum) or the same packet
     * metadata for traffic both handle: the later write wins and the earlier program's intent is lost.
     */
    WRITE_CONFLICT,
    /** Two packages pin one map name with different definitions. */
    PINNED_MAP,
    /** An attach would replace a program bpfstore does not own without an error (cgroup, XDP, flow dissector). */
    SILENT_REPLACEMENT,
    /** Two packages override one kernel function's return value, or write the user memory of one target. */
    TRACING,
    /** Map memory beyond a limit or budget, oversize maps, programs near the verifier's complexity limits. */
    RESOURCES;

    /** The class as the CLI and JSON write it ("semantic-overlap"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
