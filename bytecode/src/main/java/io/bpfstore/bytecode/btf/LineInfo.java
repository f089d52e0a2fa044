package io.bpfstore.bytecode.btf;

/**
 * A {@code bpf_line_info} record: the source line of the instructions from {@code byteOffset} up to the next
 * record of the same section.
 *
 * @param byteOffset byte offset of the first instruction in its ELF section
 * @param fileName   source file name as the compiler recorded it (often an absolute path)
 * @param source     text of the source line, without its line break (may be empty)
 * @param line       1-based line number (the upper 22 bits of {@code line_col})
 * @param column     1-based column, 0 when unknown (the lower 10 bits of {@code line_col}, so at most 1023)
 */
public record LineInfo(long byteOffset, String fileName, String source, int line, int column) {
    /** Index of the first instruction in its section (8-byte instructions). */
    public long instruction() {
        return byteOffset / 8;
    }
}
