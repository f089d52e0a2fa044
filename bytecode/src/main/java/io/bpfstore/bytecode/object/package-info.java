/**
 * The object model: what an eBPF object file contains, read the way libbpf reads it.
 *
 * <p>{@link io.bpfstore.bytecode.object.BpfObject#read} yields entry {@link io.bpfstore.bytecode.object.Program}s
 * (functions in sections other than {@code .text}, typed by libbpf's section-name conventions), the
 * subprograms each one reaches, {@link io.bpfstore.bytecode.object.MapDefinition}s (BTF-defined {@code .maps},
 * legacy {@code maps}, and one array map per global-data section) and relocations resolved to symbols.
 *
 * <p>Traps: a call's immediate counts instruction slots from the next instruction, but a function address
 * loaded with {@code ld_imm64} counts bytes; clang refers to static functions through the section symbol plus
 * that immediate, to global ones through their own symbol. Objects from old toolchains may have no function
 * symbols at all: the whole section is then one program named after the section, in a form the kernel takes
 * ({@code classifier/ingress} becomes {@code classifier_ingr}).
 */
package io.bpfstore.bytecode.object;
