package io.bpfstore.bytecode.sections;

/**
 * What the text after {@code prefix/} in a section name names, for the definitions whose suffix libbpf reads to
 * attach the program (e.g. {@code kprobe/do_unlinkat}, {@code tracepoint/syscalls/sys_enter_openat}).
 */
public enum AttachTarget {
    /** The suffix names nothing libbpf uses (or the definition takes none); the program attaches another way. */
    NONE,
    /** A kernel function: kprobe/kretprobe by symbol ({@code func[+offset]}), fentry/fexit/fmod_ret by BTF name. */
    KERNEL_FUNCTION,
    /** A glob over kernel function names: {@code kprobe.multi/tcp_*}, {@code kprobe.session/...}. */
    KERNEL_FUNCTION_PATTERN,
    /** A system call by its name without the architecture prefix: {@code ksyscall/openat}. */
    SYSCALL,
    /** A user-space function: {@code uprobe/path/to/binary:function[+offset]}. */
    USER_FUNCTION,
    /** A glob over user-space functions of one binary: {@code uprobe.multi/path:pattern}. */
    USER_FUNCTION_PATTERN,
    /** A USDT probe: {@code usdt/path:provider:name}. */
    USDT_PROBE,
    /** A perf tracepoint as {@code category/name}: {@code tracepoint/syscalls/sys_enter_openat}. */
    TRACEPOINT,
    /** A raw tracepoint by name: {@code raw_tp/sched_switch}. */
    RAW_TRACEPOINT,
    /** A BTF-typed raw tracepoint by name: {@code tp_btf/sched_switch}. */
    BTF_TRACEPOINT,
    /** An LSM hook by name: {@code lsm/file_open}. */
    LSM_HOOK,
    /** A BPF iterator target: {@code iter/task}. */
    ITERATOR,
    /** A global function of another BPF program, replaced by {@code freplace/name}. */
    BPF_FUNCTION
}
