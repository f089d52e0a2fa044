/**
 * Loading an eBPF object into the VM: its maps and global data become {@link io.bpfstore.vm.maps.VmMap}s, its
 * programs are linked with their subprograms (as the kernel's loader lays them out) and every map and
 * global-data reference is resolved to an address, giving a {@link io.bpfstore.vm.Code} per program.
 *
 * <p>CO-RE relocations are left as compiled: the VM has no kernel of its own to relocate against, and the
 * networking structures packet programs read (ethhdr, iphdr, ...) have the same layout in every kernel.
 */
package io.bpfstore.vm.load;
