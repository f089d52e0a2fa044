package io.bpfstore.bytecode.object;

/**
 * The fields iproute2's {@code struct bpf_elf_map} (include/bpf_elf.h) adds after libbpf 0.x's
 * {@code struct bpf_map_def} in a legacy {@code maps} section: the map's own id, how {@code tc}/{@code ip} pin it,
 * and the map-in-map links between records. Objects written for {@code tc ... bpf obj} and
 * {@code ip link ... xdp obj} carry them; they are not kernel ABI but a contract between such objects and
 * iproute2's loader.
 *
 * @param id         the record's id, referred to by other records' {@code inner_id}; 0 for none
 * @param pinning    {@link #PIN_NONE}, {@link #PIN_OBJECT_NS} or {@link #PIN_GLOBAL_NS} (other values name a
 *                   custom pinning from {@code /etc/iproute2/bpf_pinning}, which bpfstore does not read)
 * @param innerId    for a map-in-map outer map: the id of the record that is its inner-map template; 0 for none
 * @param innerIndex for a record with an id: the slot of every outer map (whose {@code inner_id} is this id) into
 *                   which the created map is inserted after creation; {@link #NO_INNER_INDEX} for none
 */
public record ElfMapFields(long id, long pinning, long innerId, long innerIndex) {
    /** Not pinned. */
    public static final long PIN_NONE = 0;
    /** Pinned under a folder of the object: {@code <bpffs>/tc/<sha1 of the object file>/<map name>}. */
    public static final long PIN_OBJECT_NS = 1;
    /** Pinned once for all objects: {@code <bpffs>/tc/globals/<map name>}. */
    public static final long PIN_GLOBAL_NS = 2;
    /** {@code inner_idx} of (__u32) -1: the map is not inserted into an outer map. */
    public static final long NO_INNER_INDEX = 0xffff_ffffL;

    /** Whether the map is inserted into the outer maps whose {@code inner_id} is its id, as iproute2 does. */
    public boolean insertedIntoOuter() {
        return id != 0 && innerId == 0 && innerIndex != NO_INNER_INDEX;
    }
}
