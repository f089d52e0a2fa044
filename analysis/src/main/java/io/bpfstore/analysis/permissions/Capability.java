package io.bpfstore.analysis.permissions;

/** The Linux capabilities that gate eBPF (see {@code capabilities(7)}). */
public enum Capability {
    /** Load programs and create maps ({@code CAP_BPF}, Linux 5.8). */
    CAP_BPF,
    /** Attach networking programs, change interfaces and traffic control. */
    CAP_NET_ADMIN,
    /** Tracing programs and reading kernel memory ({@code CAP_PERFMON}, Linux 5.8). */
    CAP_PERFMON,
    /** Everything else the kernel does not gate more narrowly. */
    CAP_SYS_ADMIN
}
