package io.bpfstore.analysis.clash;

/** A network hook programs are chained on: XDP, or tc in one direction, of the interface being checked. */
public enum Hook {
    /** XDP: one program per interface unless a dispatcher composes several. */
    XDP,
    /** tc ingress (tcx or legacy clsact filters): a chain of programs. */
    TC_INGRESS,
    /** tc egress: a chain of programs. */
    TC_EGRESS;

    /** The hook in words. */
    public String describe() {
        return switch (this) {
            case XDP -> "XDP";
            case TC_INGRESS -> "tc ingress";
            case TC_EGRESS -> "tc egress";
        };
    }
}
