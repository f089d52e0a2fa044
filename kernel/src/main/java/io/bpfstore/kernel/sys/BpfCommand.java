package io.bpfstore.kernel.sys;

/** The bpf(2) commands ({@code enum bpf_cmd}) that bpfstore issues, with the kernel's numbers. */
public enum BpfCommand {
    /** Creates a map. */
    MAP_CREATE(0),
    /** Reads one map element. */
    MAP_LOOKUP_ELEM(1),
    /** Creates or replaces one map element. */
    MAP_UPDATE_ELEM(2),
    /** Deletes one map element. */
    MAP_DELETE_ELEM(3),
    /** Returns the key after a given key (or the first key). */
    MAP_GET_NEXT_KEY(4),
    /** Verifies and loads a program. */
    PROG_LOAD(5),
    /** Pins an object to a bpffs path. */
    OBJ_PIN(6),
    /** Opens a pinned object. */
    OBJ_GET(7),
    /** Attaches a program without a link (legacy cgroup, sockmap, flow dissector ...). */
    PROG_ATTACH(8),
    /** Detaches a program attached with PROG_ATTACH. */
    PROG_DETACH(9),
    /** Runs a program once on given input (BPF_PROG_TEST_RUN, also called BPF_PROG_RUN). */
    PROG_TEST_RUN(10),
    /** Iterates program ids. */
    PROG_GET_NEXT_ID(11),
    /** Iterates map ids. */
    MAP_GET_NEXT_ID(12),
    /** Opens a program by id. */
    PROG_GET_FD_BY_ID(13),
    /** Opens a map by id. */
    MAP_GET_FD_BY_ID(14),
    /** Reads the info structure of a program, map, link or BTF object. */
    OBJ_GET_INFO_BY_FD(15),
    /** Lists programs attached to a hook. */
    PROG_QUERY(16),
    /** Attaches a raw tracepoint program; returns a link fd. */
    RAW_TRACEPOINT_OPEN(17),
    /** Loads BTF type information. */
    BTF_LOAD(18),
    /** Opens a BTF object by id. */
    BTF_GET_FD_BY_ID(19),
    /** Reads and deletes one element (queues, stacks, hashes). */
    MAP_LOOKUP_AND_DELETE_ELEM(21),
    /** Makes a map read-only for user space. */
    MAP_FREEZE(22),
    /** Iterates BTF object ids. */
    BTF_GET_NEXT_ID(23),
    /** Reads many elements at once. */
    MAP_LOOKUP_BATCH(24),
    /** Reads and deletes many elements at once. */
    MAP_LOOKUP_AND_DELETE_BATCH(25),
    /** Updates many elements at once. */
    MAP_UPDATE_BATCH(26),
    /** Deletes many elements at once. */
    MAP_DELETE_BATCH(27),
    /** Creates a link (an attachment held by a file descriptor). */
    LINK_CREATE(28),
    /** Replaces the program of a link. */
    LINK_UPDATE(29),
    /** Opens a link by id. */
    LINK_GET_FD_BY_ID(30),
    /** Iterates link ids. */
    LINK_GET_NEXT_ID(31),
    /** Turns on kernel-wide statistics such as run_time_ns/run_cnt while the returned fd is open. */
    ENABLE_STATS(32),
    /** Detaches a link without closing it. */
    LINK_DETACH(34);

    private final int number;

    BpfCommand(int number) {
        this.number = number;
    }

    /** The kernel's number of this command. */
    public int number() {
        return number;
    }
}
