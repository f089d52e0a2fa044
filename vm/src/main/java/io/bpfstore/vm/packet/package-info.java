/**
 * Packets and the contexts packet programs see: a {@link io.bpfstore.vm.packet.Packet} buffer with headroom
 * and tailroom laid out as the kernel's {@code BPF_PROG_TEST_RUN} lays out an XDP frame, and
 * {@link io.bpfstore.vm.packet.XdpContext} ({@code struct xdp_md}), whose data fields load as pointers.
 */
package io.bpfstore.vm.packet;
