/**
 * ELF64 relocatable objects as clang writes them for eBPF: the header, section headers, the symbol table and
 * relocation sections, in either byte order.
 *
 * <p>{@link io.bpfstore.bytecode.elf.ElfFile#parse} validates everything it exposes up front (offsets and sizes
 * inside the file, sections that do not overlap, string offsets inside their string table, symbol and section
 * indices in range), so later stages can trust the model. Traps worth knowing:
 * <ul>
 *   <li>eBPF objects use {@code SHT_REL} relocations (no addend; the addend sits in the instruction's
 *       immediate), but {@code SHT_RELA} is read too.</li>
 *   <li>Objects with 65,280 or more sections keep the real section count and string-table index in section 0
 *       (extended numbering); both are honoured.</li>
 *   <li>{@code SHT_NOBITS} sections (such as {@code .bss}) have a size but no bytes in the file.</li>
 * </ul>
 */
package io.bpfstore.bytecode.elf;
