package io.bpfstore.install.api;

/** The kinds of hook an installation attaches at: one driver each in {@code io.bpfstore.install}. */
public enum HookKind {
    /** XDP on an interface, composed by bpfstore's dispatcher. */
    XDP,
    /** tc on an interface: tcx links or legacy clsact filters. */
    TC,
    /** cgroup v2 hooks, multi-attach links. */
    CGROUP,
    /** tracepoints and raw tracepoints, side by side. */
    TRACING;

    /** The name the state database, {@code list} and JSON output use ({@code xdp}, {@code tc}, ...). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
