/**
 * Feature probes: which program types, map types and helpers (per program type) this kernel supports,
 * found the way {@code bpftool feature probe kernel} finds them: by loading a minimal program or creating a
 * minimal map and classifying the kernel's answer. Results are cached per boot.
 *
 * <p>Traps:
 * <ul>
 *   <li>A refusal is not always "unsupported": EPERM means the kernel knows the type but this caller may not
 *       use it (capabilities, lockdown, a security module); that is reported as
 *       {@link io.bpfstore.kernel.probe.Support#DENIED}, distinct from unsupported.</li>
 *   <li>Helper probes read the verifier log. Kernels have worded "this program type cannot call this helper"
 *       three ways over time ({@code unknown func}, {@code invalid func},
 *       {@code program of this type cannot use helper}); all three mean unavailable. Any other verifier
 *       complaint means the verifier knew the helper and only disliked the arguments: available.</li>
 *   <li>bpf_trace_printk, bpf_trace_vprintk and bpf_probe_write_user are not probed by default, as bpftool
 *       does not: loading a program that calls them writes warnings into the kernel log.</li>
 *   <li>The cache is keyed on /proc/sys/kernel/random/boot_id: a reboot (new kernel, new sysctls) makes it
 *       stale automatically. A corrupt or foreign cache file is ignored and rewritten, never trusted.</li>
 * </ul>
 */
package io.bpfstore.kernel.probe;
