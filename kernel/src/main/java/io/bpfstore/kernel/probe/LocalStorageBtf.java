package io.bpfstore.kernel.probe;

import io.bpfstore.bytecode.btf.BtfKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The raw BTF that local-storage map probes need (sk/inode/task/cgrp storage maps must have BTF for key and
 * value): type 1 {@code int}, type 2 {@code struct bpf_spin_lock { int val; }}, type 3
 * {@code struct val { int cnt; struct bpf_spin_lock l; }}. Encoding per Documentation/bpf/btf.rst.
 */
final class LocalStorageBtf {
    static final int KEY_TYPE_ID = 1;
    static final int VALUE_TYPE_ID = 3;
    private static final int KIND_STRUCT = 4;

    private LocalStorageBtf() {
    }

    static byte[] bytes() {
        // String offsets: 0 "", 1 "int", 5 "bpf_spin_lock", 19 "val", 23 "cnt", 27 "l".
        byte[] strings = "\0int\0bpf_spin_lock\0val\0cnt\0l\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer types = ByteBuffer.allocate(16 + 12 + 12 + 12 + 12 + 12).order(ByteOrder.nativeOrder());
        types.putInt(1).putInt(BtfKind.INT.number() << 24).putInt(4).putInt((1 << 24) | 32);   // [1] int: signed, 32 bits
        types.putInt(5).putInt(KIND_STRUCT << 24 | 1).putInt(4);                    // [2] struct bpf_spin_lock
        types.putInt(19).putInt(1).putInt(0);                                       //     int val @0
        types.putInt(19).putInt(KIND_STRUCT << 24 | 2).putInt(8);                   // [3] struct val
        types.putInt(23).putInt(1).putInt(0);                                       //     int cnt @0
        types.putInt(27).putInt(2).putInt(32);                                      //     bpf_spin_lock l @32 bits
        int typesLength = types.position();
        ByteBuffer out = ByteBuffer.allocate(24 + typesLength + strings.length).order(ByteOrder.nativeOrder());
        out.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        out.putInt(0).putInt(typesLength).putInt(typesLength).putInt(strings.length);
        out.put(types.array(), 0, typesLength).put(strings);
        return out.array();
    }
}
