package io.bpfstore.testsupport;

/**
 * BPF C sources that several modules' tests compile with {@link BpfClang}, kept in one place so that the analysis,
 * store and CLI tests of the same rule exercise the same program.
 */
public final class TestPrograms {
    /**
     * A tracepoint program named {@code poke} that calls {@code bpf_probe_write_user} (on line 8, which tests of
     * the permission explanation quote): it needs the {@code writes-process-memory} permission, which publishing
     * refuses unless declared.
     */
    public static final String PROBE_WRITE_USER = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>

            SEC("tracepoint/syscalls/sys_enter_write")
            int poke(void *ctx)
            {
            	char msg[4] = "hi!";
            	bpf_probe_write_user((void *)0x1000, msg, sizeof(msg));
            	return 0;
            }
            char LICENSE[] SEC("license") = "GPL";
            """;

    private TestPrograms() {
    }
}
