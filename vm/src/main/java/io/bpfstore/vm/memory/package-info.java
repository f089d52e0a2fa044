/**
 * The VM's memory: 64-bit addresses whose upper half names a {@link io.bpfstore.vm.memory.Region} and whose
 * lower half is an offset in it. A program can compute with addresses freely, as eBPF code does; only a load
 * or store checks the region and its bounds.
 */
package io.bpfstore.vm.memory;
