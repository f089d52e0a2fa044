package io.bpfstore.bytecode.btf;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The string section of a BTF blob: NUL-terminated UTF-8 strings addressed by byte offset. A split BTF's table
 * continues its base's: offsets below the base's size are the base's strings.
 *
 * <p>Decoded strings are shared per offset, because vmlinux names the same member names thousands of times;
 * the cache is concurrent so that a parsed {@link Btf} stays safe to share between threads.
 */
final class StringTable {
    private final StringTable base;
    private final byte[] bytes;
    private final int start;
    private final int length;
    private final Map<Integer, String> decoded = new ConcurrentHashMap<>();

    StringTable(StringTable base, byte[] bytes, int start, int length) {
        this.base = base;
        this.bytes = bytes;
        this.start = start;
        this.length = length;
    }

    /** Size of the whole table including the base's, i.e. the first offset a split BTF's own strings use. */
    long size() {
        return (base == null ? 0 : base.size()) + length;
    }

    /**
     * The string at {@code offset}, or {@code null} when the offset is outside the table. Strings are
     * NUL-terminated within the table because the parser checks that its last byte is NUL.
     */
    String at(long offset) {
        if (offset < 0) {
            return null;
        }
        if (base != null) {
            long baseSize = base.size();
            if (offset < baseSize) {
                return base.at(offset);
            }
            offset -= baseSize;
        }
        if (offset >= length) {
            return null;
        }
        int key = (int) offset;
        String s = decoded.get(key);
        if (s == null) {
            int from = start + key;
            int end = from;
            while (bytes[end] != 0) {
                end++;
            }
            s = new String(bytes, from, end - from, StandardCharsets.UTF_8);
            String raced = decoded.putIfAbsent(key, s);
            if (raced != null) {
                s = raced;
            }
        }
        return s;
    }
}
