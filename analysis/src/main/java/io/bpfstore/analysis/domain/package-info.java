/**
 * The first abstract domain: {@link io.bpfstore.analysis.domain.RegionDomain}, the kinds of values eBPF registers
 * and stack cells hold (context, packet pointers with offset intervals, packet end, maps, map values, stack
 * pointers, scalars with intervals) plus where scalar bytes came from in the packet ({@link
 * io.bpfstore.analysis.domain.Lanes}), so that branch conditions become facts on packet fields ({@link
 * io.bpfstore.analysis.domain.Atom}).
 *
 * <p>Traps: a 2-byte load on a little-endian target compared with {@code 0x0008} tests the bytes {@code 08 00},
 * ethertype IPv4; lanes record byte significance, so the byte order of the comparison never needs guessing.
 * Offsets from a pointer moved by a variable amount (IPv4 options, IPv6 extension headers) are recorded at their
 * least possible value with {@code exactOffset} false. This domain is precise enough for summaries, not for
 * safety: it does not check bounds, alignment or initialisation, which is the verifier's job.
 */
package io.bpfstore.analysis.domain;
