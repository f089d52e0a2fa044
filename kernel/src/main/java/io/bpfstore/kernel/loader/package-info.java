/**
 * The object loader: turns a parsed {@link io.bpfstore.bytecode.object.BpfObject} into maps and programs in the
 * running kernel, in pure Java, doing what libbpf's {@code bpf_object__load} does so that the kernel receives the
 * very same instructions (the tests compare the translated code with libbpf's, instruction for instruction).
 * Entry point: {@link io.bpfstore.kernel.loader.Loader#load}; result: {@link io.bpfstore.kernel.loader.LoadedObject}.
 * {@link io.bpfstore.kernel.loader.Loader#link} runs the same relocation for one program against live maps without
 * loading it, producing a {@link io.bpfstore.kernel.loader.ProgramImage} that can be joined with others (the XDP
 * dispatcher in {@code io.bpfstore.kernel.dispatch}) and loaded.
 *
 * <p>Traps, and why the code is shaped as it is:
 * <ul>
 *   <li>Order matters for identical output: CO-RE and data relocations are applied to each function's own copy
 *       first; subprograms are then appended depth first, in the order the calls are met (libbpf's
 *       {@code bpf_object__reloc_code}), and func/line info follow them.</li>
 *   <li>{@code .rodata} must be frozen before the programs load: the verifier treats frozen read-only values as
 *       constants and prunes dead branches, so an unfrozen map gives different (and larger) code.</li>
 *   <li>A CO-RE relocation that matches nothing is not an error at load time: its instruction becomes a call to
 *       helper 0xbad2310, and only if the verifier reaches it is the program refused;
 *       {@link io.bpfstore.kernel.loader.ProgramRejectedException#missingFeature()} then names what is missing.</li>
 *   <li>The object's BTF needs fixing before the kernel takes it: DATASEC sizes and offsets from the ELF symbols,
 *       extern FUNCs made global with named parameters, {@code .ksyms} turned into placeholder variables.</li>
 *   <li>vmlinux BTF is parsed once per process and path (a few megabytes); CO-RE and kfunc lookups share it.</li>
 *   <li>Closing a {@link io.bpfstore.kernel.loader.LoadedObject} drops this process's references; pinned maps live
 *       on. The kernel frees maps held by a program only an RCU grace period after the program goes.</li>
 *   <li>Only little-endian objects load on little-endian hosts; legacy {@code SEC("maps")} definitions are refused
 *       as libbpf 1.x refuses them; untyped {@code __ksym} variables, freplace and struct_ops are not supported yet.</li>
 *   <li>Live maps given with {@link io.bpfstore.kernel.loader.LoadOptions#withExistingMaps} replace map creation
 *       and pins; the loader opens descriptors of its own on them (closing a load never closes the caller's). A
 *       frozen {@code .rodata}/{@code .kconfig} cannot be rewritten, so its contents must already be the object's;
 *       writable global data keeps its contents (that is the point of an upgrade).</li>
 *   <li>{@code __kconfig} externs live in a frozen internal map whose layout (alignment, size, name order) and
 *       name ({@code <object prefix>.kconfig}) must be libbpf's, or the verifier's constant folding differs.</li>
 * </ul>
 */
package io.bpfstore.kernel.loader;
