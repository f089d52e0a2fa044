/**
 * The raw bpf(2) system call and the kernel's {@code union bpf_attr} and {@code bpf_*_info} structures as
 * Foreign Function &amp; Memory layouts. Nothing here knows what a "program" or a "map" means; the typed
 * handles in {@link io.bpfstore.kernel} build on it.
 *
 * <p>Traps:
 * <ul>
 *   <li>Every layout is the kernel's structure field by field, with the kernel's C names, so that the
 *       layout test can compare each offset with {@code offsetof} over the running kernel's BTF. Never
 *       reorder or "tidy" fields; add new ones at the end, exactly as the kernel does.</li>
 *   <li>The size passed to bpf(2) is the size of the layout for that command. A kernel older than the
 *       layout accepts it as long as the fields it does not know are zero, which is why every attribute
 *       segment starts zeroed and optional fields are only written when used.</li>
 *   <li>Pointers inside attributes are plain 64-bit addresses: the memory they point to must stay alive
 *       (same {@link java.lang.foreign.Arena}) until the call returns.</li>
 *   <li>bpf(2) returns new file descriptors; wrap each in an {@link io.bpfstore.kernel.sys.Fd} at once so
 *       that an exception on the next line cannot leak it.</li>
 *   <li>The syscall number depends on the CPU architecture; {@link io.bpfstore.kernel.sys.Platform} refuses
 *       architectures whose numbers we have not checked.</li>
 * </ul>
 */
package io.bpfstore.kernel.sys;
