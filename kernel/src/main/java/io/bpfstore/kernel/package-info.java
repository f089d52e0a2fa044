/**
 * The kernel layer's typed handles over bpf(2): {@link io.bpfstore.kernel.BpfMap},
 * {@link io.bpfstore.kernel.BpfProgram}, {@link io.bpfstore.kernel.link.BpfLink} and
 * {@link io.bpfstore.kernel.BtfHandle}, their info records, pins, and the errors
 * ({@link io.bpfstore.kernel.BpfException} with an {@link io.bpfstore.kernel.sys.Errno}). Pure Java through the
 * Foreign Function &amp; Memory API; no libbpf at run time. Raw structures live in
 * {@link io.bpfstore.kernel.sys}; the host inventory in {@code inventory}; feature probes in {@code probe}.
 *
 * <p>Traps:
 * <ul>
 *   <li>Every handle owns a file descriptor and is {@link java.lang.AutoCloseable}: use try-with-resources.
 *       Closing drops only this process's reference. A map or program lives on while a pin, a link, an
 *       attached program or another process holds it; a link detaches when its last reference goes.</li>
 *   <li>A program-array map is emptied by the kernel when the last user-space reference to it is closed,
 *       even if programs still use it: pin it or keep it open while tail calls must work.</li>
 *   <li>Ids are stable for an object's lifetime but are reused after it is gone; never keep an id as a
 *       long-term reference, keep the fd or a pin.</li>
 *   <li>Keys and values are raw bytes in the kernel's (native) byte order. Per-CPU maps read and write one
 *       8-byte-aligned value slot per <em>possible</em> CPU, not per online CPU.</li>
 *   <li>run_cnt and run_time_ns stay 0 unless statistics are on ({@link io.bpfstore.kernel.RunStatistics}
 *       or sysctl kernel.bpf_stats_enabled).</li>
 *   <li>A load that fails without a requested log is retried once with log level 1, so that the exception
 *       carries the verifier's reasons; the program is verified twice in that case.</li>
 * </ul>
 */
package io.bpfstore.kernel;
