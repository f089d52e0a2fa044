/**
 * Installations: packages attached on this host. {@link io.bpfstore.install.InstallService} (the entry point;
 * requests and results in {@link io.bpfstore.install.api}) takes a package from a
 * registry (or a local OCI layout / object file) through preflight checks to programs attached in the kernel,
 * pinned under a bpfstore-owned bpffs folder and recorded in a SQLite state database; it upgrades and removes
 * them again.
 *
 * <p>Traps this package exists to handle:
 * <ul>
 *   <li>Kernel objects outlive the process only through pins: everything an installation owns is pinned under
 *       {@code <bpffs>/<installation-id>/}, so removing that folder releases it (links detach when their last pin
 *       goes and no process holds them).</li>
 *   <li>A process can be killed between any two kernel calls. Every operation writes a journal entry in the state
 *       database before it touches the kernel; {@link io.bpfstore.install.Recovery} rolls an unfinished install or
 *       upgrade back (or an upgrade past its swap forward) and completes an unfinished uninstall, at the start of
 *       every command.</li>
 *   <li>XDP holds one program per interface: several packages share it through one composed dispatcher per
 *       interface whose link is updated atomically; tcx, cgroup and tracing hooks hold several links natively.</li>
 *   <li>Interfaces live in network namespaces: every netlink or attach call for one runs inside its namespace.</li>
 * </ul>
 */
package io.bpfstore.install;
