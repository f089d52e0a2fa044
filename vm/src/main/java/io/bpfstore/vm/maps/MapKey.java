package io.bpfstore.vm.maps;

import java.util.Arrays;
import java.util.HexFormat;

/** A map key's bytes, compared by content. Immutable: it keeps its own copy. */
public final class MapKey {
    private final byte[] bytes;
    private final int hash;

    /** A key holding a copy of {@code bytes}. */
    public MapKey(byte[] bytes) {
        this(bytes.clone(), true);
    }

    private MapKey(byte[] owned, boolean unused) {
        this.bytes = owned;
        this.hash = Arrays.hashCode(owned);
    }

    /** A key over {@code bytes} without copying, for a lookup that does not keep the key. */
    static MapKey probe(byte[] bytes) {
        return new MapKey(bytes, true);
    }

    /** A copy of the key's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapKey k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
