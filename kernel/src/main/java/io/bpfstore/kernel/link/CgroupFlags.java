package io.bpfstore.kernel.link;

/**
 * How a BPF_PROG_ATTACH program shares its cgroup hook (the attach_flags). The flags of the first program
 * on a hook decide what may follow: a hook attached with NONE or ALLOW_OVERRIDE holds one program.
 */
public enum CgroupFlags {
    /** The only program on this hook, and descendants may not attach their own (they inherit this one). */
    NONE(0),
    /** The only program on this hook; a descendant cgroup may attach its own, which then runs instead. */
    ALLOW_OVERRIDE(1),
    /** One of several programs on this hook, all of which run (parents' too), in attach order. */
    ALLOW_MULTI(2),
    /** Like ALLOW_MULTI, but takes the place of {@link CgroupOptions#replaceProgram()} atomically (BPF_F_REPLACE). */
    REPLACE(2 | 4);

    private final int bits;

    CgroupFlags(int bits) {
        this.bits = bits;
    }

    /** The kernel's attach_flags bits. */
    int bits() {
        return bits;
    }
}
