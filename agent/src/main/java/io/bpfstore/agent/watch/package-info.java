/**
 * The watch: changes that other tools make to bpfstore's installations, noticed within a second and published as
 * {@link io.bpfstore.agent.event.AgentEvent}s. {@link io.bpfstore.agent.watch.HostWatch} looks at the host;
 * {@link io.bpfstore.agent.watch.InstallationSource} (over install's {@code InstallService.observe}:
 * {@link io.bpfstore.agent.local.StateSource}) says what is installed.
 *
 * <p>Traps: a link detached with BPF_LINK_DETACH stays pinned (its pin opens, its target reads 0), so "pin present"
 * does not mean "attached"; the kernel frees an unpinned link later, from a work queue, so a removed link pin may be
 * seen before the program stops running.
 */
package io.bpfstore.agent.watch;
