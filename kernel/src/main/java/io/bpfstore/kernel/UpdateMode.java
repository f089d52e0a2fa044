package io.bpfstore.kernel;

/** How BPF_MAP_UPDATE_ELEM treats an existing or missing key. */
public enum UpdateMode {
    /** Create or replace (BPF_ANY). */
    ANY(0),
    /** Only create; EEXIST if the key exists (BPF_NOEXIST). */
    NO_EXIST(1),
    /** Only replace; ENOENT if the key is missing (BPF_EXIST). */
    EXIST(2);

    private final long flag;

    UpdateMode(long flag) {
        this.flag = flag;
    }

    /** The kernel's flag value. */
    public long flag() {
        return flag;
    }
}
