/**
 * CO-RE (compile once, run everywhere) reasoning over BTF alone, as libbpf's relo_core.c: a program's access
 * specifications ({@code CoreSpec}), the candidates in a target BTF, type compatibility and matching
 * ({@link io.bpfstore.bytecode.btf.core.TypeCompatibility}), and the value each relocation needs
 * ({@link io.bpfstore.bytecode.btf.core.CoreResolver#resolve} gives a
 * {@link io.bpfstore.bytecode.btf.core.CoreResult}). Nothing here touches a kernel or an instruction: the
 * target BTF is any BTF (normally /sys/kernel/btf/vmlinux read as a file), and the loader writes the results
 * into instructions.
 */
package io.bpfstore.bytecode.btf.core;
