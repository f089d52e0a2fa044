/**
 * A userspace eBPF virtual machine: runs programs as the kernel would, without root and without a kernel.
 * {@link io.bpfstore.vm.Interpreter} is the reference implementation of the instruction set (RFC 9669 and the
 * v4 extensions: ALU32/64, jmp32, signed division and modulo, movsx, bswap, atomics, bpf-to-bpf calls, tail
 * calls, may_goto). Programs see memory only through {@link io.bpfstore.vm.memory.AddressSpace}: every
 * pointer names a region (stack, context, packet, map value, ...) and every access is bounds-checked, so a
 * program that strays is stopped with a {@link io.bpfstore.vm.VmFault} naming the instruction, never a JVM
 * crash.
 *
 * <p>Traps this package exists to handle:
 * <ul>
 *   <li>The kernel rewrites context field loads (e.g. {@code xdp_md->data}, a 32-bit field) into 64-bit pointer
 *       loads; the VM's contexts do the same, so a program's pointer arithmetic on them just works.</li>
 *   <li>Division by zero does not trap in eBPF: {@code x / 0 == 0} and {@code x % 0 == x}; signed overflow of
 *       {@code LLONG_MIN / -1} wraps. 32-bit results are zero-extended into the 64-bit register.</li>
 *   <li>Helper calls name helpers by number; a program that calls one the VM does not model is refused before
 *       it runs (not halfway through a capture).</li>
 * </ul>
 */
package io.bpfstore.vm;
