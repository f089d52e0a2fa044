package io.bpfstore.bytecode.btf;

/**
 * The header of a BTF blob ({@code struct btf_header}). Section offsets are relative to the end of the header
 * ({@code headerLength}), as in the format.
 *
 * @param version      format version (1)
 * @param flags        header flags (0)
 * @param headerLength size of the header in bytes (at least 24)
 * @param typeOffset   offset of the type section after the header
 * @param typeLength   length of the type section
 * @param stringOffset offset of the string section after the header
 * @param stringLength length of the string section
 */
public record BtfHeader(int version, int flags, long headerLength, long typeOffset, long typeLength,
                        long stringOffset, long stringLength) {
    /** {@code BTF_MAGIC}; its byte order in the blob tells the blob's byte order. */
    public static final int MAGIC = 0xeB9F;

    /** Size of the header fields this reader knows. */
    public static final int SIZE = 24;
}
