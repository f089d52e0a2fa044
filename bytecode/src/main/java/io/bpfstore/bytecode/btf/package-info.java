/**
 * BTF and BTF.ext: the type information of eBPF objects and kernels, read into immutable models.
 *
 * <p>What this package owns:
 * <ul>
 *   <li>{@link io.bpfstore.bytecode.btf.Btf}: a parsed {@code .BTF} section or raw BTF file
 *       ({@code /sys/kernel/btf/vmlinux}, or a module's split BTF on top of vmlinux), every kind as a record of the
 *       sealed {@link io.bpfstore.bytecode.btf.BtfType}; lookups by id, by name and kind; {@code resolve} through
 *       typedefs and qualifiers; {@code sizeof}.</li>
 *   <li>{@link io.bpfstore.bytecode.btf.BtfExt}: a parsed {@code .BTF.ext} section: function, line and CO-RE
 *       relocation records per ELF section, and the source line of any instruction.</li>
 *   <li>{@link io.bpfstore.bytecode.btf.BtfDump}: the text of {@code bpftool btf dump file} (raw format), which
 *       the tests compare with bpftool byte for byte.</li>
 * </ul>
 * It does not read ELF: callers hand it the bytes of the {@code .BTF} and {@code .BTF.ext} sections.
 *
 * <p>Traps:
 * <ul>
 *   <li>Type id 0 is {@code void} and has no record; the first record is id 1. A split BTF's ids continue after its
 *       base's last id and its string offsets after the base's string section; {@code types()} lists only the
 *       blob's own types, as bpftool prints only those.</li>
 *   <li>Instruction offsets in an ELF object's {@code .BTF.ext} are <em>byte</em> offsets from the start of the
 *       ELF section, and one section may hold several programs and subprograms; the kernel wants instruction
 *       indexes from the start of the loaded program. Records keep the byte offset and offer
 *       {@code instruction()}; rebasing per program is the loader's job.</li>
 *   <li>The first line record of a function (column 0) names the function's declaration line, while DWARF's
 *       first row names the opening brace; records with line 0 mark instructions the compiler made up.</li>
 *   <li>Cycles through a PTR are legal C (list nodes); cycles that do not pass through one (a typedef chain that
 *       comes back to itself, a struct that contains itself by value) are rejected at parse time, so walks over
 *       parsed BTF terminate.</li>
 *   <li>{@code kind_flag} changes meaning per kind: bitfield member offsets for STRUCT/UNION, signedness for
 *       ENUM/ENUM64, union-ness for FWD. An ENUM's 32-bit values are sign-extended only when it is signed.</li>
 *   <li>BTF does not record a pointer size; {@code sizeof} assumes 8 bytes (BPF and the kernels it runs on).</li>
 *   <li>Every fault in the input is a {@link io.bpfstore.bytecode.btf.MalformedBtfException} naming {@code .BTF}
 *       or {@code .BTF.ext} and the byte offset from the start of that blob. Asking for an id that does not exist,
 *       or for the size of a function, is a caller error: {@link IllegalArgumentException}.</li>
 *   <li>bpftool prints FUNC/VAR linkages above 2 as {@code (unknown)} and unknown kinds as {@code UNKNOWN}; this
 *       reader rejects both, as the kernel does.</li>
 * </ul>
 */
package io.bpfstore.bytecode.btf;
