package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct bpf_map_info}, filled by BPF_OBJ_GET_INFO_BY_FD. */
public final class BpfMapInfo extends Struct {
    /** The layout, up to {@code map_extra} (kernel 5.16). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U32.withName("type"), U32.withName("id"), U32.withName("key_size"), U32.withName("value_size"),
            U32.withName("max_entries"), U32.withName("map_flags"), chars("name", 16), U32.withName("ifindex"),
            U32.withName("btf_vmlinux_value_type_id"), U64.withName("netns_dev"), U64.withName("netns_ino"),
            U32.withName("btf_id"), U32.withName("btf_key_type_id"), U32.withName("btf_value_type_id"),
            U32.withName("btf_vmlinux_id"), U64.withName("map_extra"));
    private static final long TYPE = offset(LAYOUT, "type");
    private static final long ID = offset(LAYOUT, "id");
    private static final long KEY_SIZE = offset(LAYOUT, "key_size");
    private static final long VALUE_SIZE = offset(LAYOUT, "value_size");
    private static final long MAX_ENTRIES = offset(LAYOUT, "max_entries");
    private static final long MAP_FLAGS = offset(LAYOUT, "map_flags");
    private static final long NAME = offset(LAYOUT, "name");
    private static final long IFINDEX = offset(LAYOUT, "ifindex");
    private static final long BTF_ID = offset(LAYOUT, "btf_id");
    private static final long BTF_KEY_TYPE_ID = offset(LAYOUT, "btf_key_type_id");
    private static final long BTF_VALUE_TYPE_ID = offset(LAYOUT, "btf_value_type_id");
    private static final long MAP_EXTRA = offset(LAYOUT, "map_extra");

    /** Allocates a zeroed structure in {@code arena}. */
    public BpfMapInfo(Arena arena) {
        super(arena, LAYOUT);
    }

    /** {@code type}. */
    public int type() { return u32(TYPE); }
    /** {@code id}. */
    public int id() { return u32(ID); }
    /** {@code key_size}. */
    public int keySize() { return u32(KEY_SIZE); }
    /** {@code value_size}. */
    public int valueSize() { return u32(VALUE_SIZE); }
    /** {@code max_entries}. */
    public int maxEntries() { return u32(MAX_ENTRIES); }
    /** {@code map_flags}. */
    public int mapFlags() { return u32(MAP_FLAGS); }
    /** {@code name}. */
    public String name() { return chars(NAME, 16); }
    /** {@code ifindex}. */
    public int ifindex() { return u32(IFINDEX); }
    /** {@code btf_id}. */
    public int btfId() { return u32(BTF_ID); }
    /** {@code btf_key_type_id}. */
    public int btfKeyTypeId() { return u32(BTF_KEY_TYPE_ID); }
    /** {@code btf_value_type_id}. */
    public int btfValueTypeId() { return u32(BTF_VALUE_TYPE_ID); }
    /** {@code map_extra}. */
    public long mapExtra() { return u64(MAP_EXTRA); }
}
