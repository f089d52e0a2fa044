package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code union bpf_attr} for BPF_MAP_CREATE (the first anonymous struct). */
public final class MapCreateAttr extends Struct {
    /** The layout, up to {@code map_token_fd} (kernel 6.9). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("map_type"), U32.withName("key_size"), U32.withName("value_size"),
            U32.withName("max_entries"), U32.withName("map_flags"), U32.withName("inner_map_fd"),
            U32.withName("numa_node"), chars("map_name", 16), U32.withName("map_ifindex"),
            U32.withName("btf_fd"), U32.withName("btf_key_type_id"), U32.withName("btf_value_type_id"),
            U32.withName("btf_vmlinux_value_type_id"), U64.withName("map_extra"),
            U32.withName("value_type_btf_obj_fd"), U32.withName("map_token_fd"));
    private static final long MAP_TYPE = offset(LAYOUT, "map_type");
    private static final long KEY_SIZE = offset(LAYOUT, "key_size");
    private static final long VALUE_SIZE = offset(LAYOUT, "value_size");
    private static final long MAX_ENTRIES = offset(LAYOUT, "max_entries");
    private static final long MAP_FLAGS = offset(LAYOUT, "map_flags");
    private static final long INNER_MAP_FD = offset(LAYOUT, "inner_map_fd");
    private static final long NUMA_NODE = offset(LAYOUT, "numa_node");
    private static final long MAP_NAME = offset(LAYOUT, "map_name");
    private static final long MAP_IFINDEX = offset(LAYOUT, "map_ifindex");
    private static final long BTF_FD = offset(LAYOUT, "btf_fd");
    private static final long BTF_KEY_TYPE_ID = offset(LAYOUT, "btf_key_type_id");
    private static final long BTF_VALUE_TYPE_ID = offset(LAYOUT, "btf_value_type_id");
    private static final long BTF_VMLINUX_VALUE_TYPE_ID = offset(LAYOUT, "btf_vmlinux_value_type_id");
    private static final long MAP_EXTRA = offset(LAYOUT, "map_extra");

    /** Allocates a zeroed attribute in {@code arena}. */
    public MapCreateAttr(Arena arena) {
        super(arena, LAYOUT);
    }

    /** Sets {@code map_type}. */
    public MapCreateAttr mapType(int v) { putU32(MAP_TYPE, v); return this; }
    /** Sets {@code key_size}. */
    public MapCreateAttr keySize(int v) { putU32(KEY_SIZE, v); return this; }
    /** Sets {@code value_size}. */
    public MapCreateAttr valueSize(int v) { putU32(VALUE_SIZE, v); return this; }
    /** Sets {@code max_entries}. */
    public MapCreateAttr maxEntries(int v) { putU32(MAX_ENTRIES, v); return this; }
    /** Sets {@code map_flags}. */
    public MapCreateAttr mapFlags(int v) { putU32(MAP_FLAGS, v); return this; }
    /** Sets {@code inner_map_fd} (map-in-map template). */
    public MapCreateAttr innerMapFd(int v) { putU32(INNER_MAP_FD, v); return this; }
    /** Sets {@code numa_node} (needs BPF_F_NUMA_NODE in the flags). */
    public MapCreateAttr numaNode(int v) { putU32(NUMA_NODE, v); return this; }
    /** Sets {@code map_name} (at most 15 bytes). */
    public MapCreateAttr mapName(String v) { putChars(MAP_NAME, 16, v); return this; }
    /** Sets {@code map_ifindex} (device offload). */
    public MapCreateAttr mapIfindex(int v) { putU32(MAP_IFINDEX, v); return this; }
    /** Sets {@code btf_fd}. */
    public MapCreateAttr btfFd(int v) { putU32(BTF_FD, v); return this; }
    /** Sets {@code btf_key_type_id}. */
    public MapCreateAttr btfKeyTypeId(int v) { putU32(BTF_KEY_TYPE_ID, v); return this; }
    /** Sets {@code btf_value_type_id}. */
    public MapCreateAttr btfValueTypeId(int v) { putU32(BTF_VALUE_TYPE_ID, v); return this; }
    /** Sets {@code btf_vmlinux_value_type_id} (struct_ops maps). */
    public MapCreateAttr btfVmlinuxValueTypeId(int v) { putU32(BTF_VMLINUX_VALUE_TYPE_ID, v); return this; }
    /** Sets {@code map_extra} (bloom filter hashes, arena address). */
    public MapCreateAttr mapExtra(long v) { putU64(MAP_EXTRA, v); return this; }
}
