/**
 * Attaching programs to hooks, one entry point per hook with an options record: {@link
 * io.bpfstore.kernel.link.Xdp}, {@link io.bpfstore.kernel.link.Tcx}, {@link io.bpfstore.kernel.link.TcLegacy},
 * {@link io.bpfstore.kernel.link.CgroupAttach}, {@link io.bpfstore.kernel.link.SocketFilter}, {@link
 * io.bpfstore.kernel.link.Tracepoint}, {@link io.bpfstore.kernel.link.RawTracepoint}, {@link
 * io.bpfstore.kernel.link.PerfEvent}, {@link io.bpfstore.kernel.link.Kprobe}. Each returns an {@link
 * io.bpfstore.kernel.link.Attachment}; errors name the program, the hook and the namespace, and where a feature
 * probe can tell, say that the kernel lacks the hook ({@link io.bpfstore.kernel.link.UnsupportedHookException}).
 *
 * <pre>{@code
 * try (Attachment xdp = Xdp.attach(counter, XdpOptions.of(Interface.named("veth0")).inNetns(Netns.named("blue")));
 *      BpfLink tcx = Tcx.attach(filter, TcxOptions.of(Interface.named("veth0"), Direction.INGRESS)
 *              .inNetns(Netns.named("blue")).at(Anchor.first()))) {
 *     ...   // both detach when the handles close (unless pinned)
 * }
 * }</pre>
 *
 * <p>Traps:
 * <ul>
 *   <li>Two lifetimes. A {@link io.bpfstore.kernel.link.BpfLink} detaches when its last fd or pin goes: a
 *       process that ends without pinning takes its links with it. The legacy attachments (netlink XDP, tc
 *       filters, BPF_PROG_ATTACH, socket options) stay attached after the process ends; their handles detach
 *       on close, and nothing detaches them if the process dies first.</li>
 *   <li>Network namespaces. Interface names and indexes, rtnetlink and the XDP/tcx attach calls work in the
 *       calling thread's namespace; the options carry a {@link io.bpfstore.kernel.Netns} and the work runs
 *       on a thread inside it. Once made, a link works from any namespace.</li>
 *   <li>XDP and tc legacy attachments are not owned: a netlink XDP program can be replaced by anyone, a tc
 *       filter deleted by tc. Their handles check that they still remove their own program.</li>
 *   <li>The kernel's hook rules decide coexistence: one XDP program per interface and mode; cgroup hooks
 *       attached with NONE/ALLOW_OVERRIDE hold one program; tcx and ALLOW_MULTI/link cgroup hooks hold many.</li>
 *   <li>A socket filter handle names its socket by fd number: close the handle before the socket, or the
 *       number may meanwhile belong to another socket.</li>
 *   <li>Perf links (tracepoint, perf event, kprobe) keep their perf event alive themselves; no perf fd
 *       outlives the attach call.</li>
 * </ul>
 */
package io.bpfstore.kernel.link;
