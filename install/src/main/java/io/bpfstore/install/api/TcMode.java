package io.bpfstore.install.api;

/** How tc programs attach ({@code --tc-mode}). */
public enum TcMode {
    /** tcx links where the kernel has tcx (6.6), else legacy clsact filters. */
    AUTO,
    /** tcx links; refused by kernels without tcx. */
    TCX,
    /** bpf filters in direct-action mode on the clsact qdisc, as {@code tc filter add ... bpf da} adds them. */
    LEGACY
}
