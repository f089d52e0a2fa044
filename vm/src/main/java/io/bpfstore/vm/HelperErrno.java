package io.bpfstore.vm;

/**
 * The kernel's errno values as BPF helpers return them: negated, in r0. The kernel layer's {@code Errno} is out of
 * the VM's reach (the VM depends on bytecode alone), so the values the VM's helpers and maps answer with live here
 * once.
 */
public final class HelperErrno {
    /** {@code -ENOENT}: no such element (a missing key, an empty tail-call slot). */
    public static final long ENOENT = -2;
    /** {@code -E2BIG}: a full map, or a loop past BPF_MAX_LOOPS. */
    public static final long E2BIG = -7;
    /** {@code -EFAULT}: an out-of-bounds access of skb data. */
    public static final long EFAULT = -14;
    /** {@code -EEXIST}: the key exists and BPF_NOEXIST was asked. */
    public static final long EEXIST = -17;
    /** {@code -EINVAL}: an invalid argument. */
    public static final long EINVAL = -22;

    private HelperErrno() {
    }
}
