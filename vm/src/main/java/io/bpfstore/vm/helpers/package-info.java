/**
 * The kernel helpers packet programs call, as the VM models them: map operations, a virtual clock, seeded
 * random numbers, checksums, packet adjustments, redirects, tail calls, ring buffer and perf output, and
 * trace_printk (captured). {@link io.bpfstore.vm.helpers.PacketHelpers#unsupported} names the helpers a
 * program calls that the VM does not model, so a run is refused before it starts.
 */
package io.bpfstore.vm.helpers;
