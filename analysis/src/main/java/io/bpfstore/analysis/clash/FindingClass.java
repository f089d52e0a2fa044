package io.bpfstore.analysis.clash;

/** What kind of clash a finding reports. */
public enum FindingClass {
    /** The package needs a program type, map type, helper or kfunc that this kernel lacks. */
    KERNEL_FIT,
    /** A hook that holds one program (XDP on an interface) is already taken, or wanted by two packages. */
    EXCLUSIVE_HOOK,
    /** On a shared hook, an earlier program may end the chain before a later one runs (traffic not nameable). */
    CHAIN_ORDER,
    /** On a shared hook, one program drops, redirects or rewrites traffic another one matches (traffic named). */
    SEMANTIC_OVERLAP,
    /** Two packages pin one map name with different definitions. */
    PINNED_MAP;

    /** The class as the CLI and JSON write it ("semantic-overlap"). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
