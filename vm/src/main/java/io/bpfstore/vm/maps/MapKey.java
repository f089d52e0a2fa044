package io.bpfstore.vm.maps;

import java.util.Arrays;
import java.util.HexFormat;

/** A map key's bytes, compared by content. */
public record MapKey(byte[] bytes) {
    /** Copies the bytes. */
    public MapKey {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
