package io.bpfstore.bytecode.btf;

import io.bpfstore.bytecode.ByteReader;
import java.util.function.BiFunction;

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

    /**
     * Checks the preamble that {@code .BTF} and {@code .BTF.ext} share ({@code magic}, {@code version} 1,
     * {@code flags} 0, {@code hdr_len} at least {@code minimum} and within the blob) and returns {@code hdr_len}.
     *
     * @param minimum     the shortest header the section allows
     * @param minimumText how an error says it, e.g. "the 24-byte header"
     * @param fail        the section's error for a problem at an offset
     */
    static long checkPreamble(ByteReader in, long minimum, String minimumText,
                              BiFunction<Long, String, MalformedBtfException> fail) {
        int magic = in.u16(0);
        if (magic != MAGIC) {
            throw fail.apply(0L, String.format("bad magic 0x%04x (expected 0x%04x in %s byte order)", magic, MAGIC,
                    in.order()));
        }
        int version = in.u8(2);
        if (version != 1) {
            throw fail.apply(2L, "unsupported version " + version + " (expected 1)");
        }
        int flags = in.u8(3);
        if (flags != 0) {
            throw fail.apply(3L, "unsupported flags 0x" + Integer.toHexString(flags));
        }
        long hdrLen = in.u32(4);
        if (hdrLen < minimum) {
            throw fail.apply(4L, "header length " + hdrLen + " is shorter than " + minimumText);
        }
        if (hdrLen > in.length()) {
            throw fail.apply(4L, "header length " + hdrLen + " exceeds the blob (" + in.length() + " bytes)");
        }
        return hdrLen;
    }
}
