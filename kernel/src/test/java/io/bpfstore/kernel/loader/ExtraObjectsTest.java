package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.testsupport.BpfClang;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects written for the loader's corners, compared with libbpf like the examples (see {@link Differential}):
 * every CO-RE relocation kind against this kernel's BTF (flavoured names, a bitfield, missing fields guarded by
 * field_exists so that the poisoned instruction is dead code, missing types and enumerators, type_matches), and a
 * statically initialised array of maps, and {@code __kconfig} externs.
 */
class ExtraObjectsTest {
    /** Every CO-RE kind; needs clang 15 or later for type_matches (clang-19 is installed beside clang 14). */
    static final String CORE_KINDS = """
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
char LICENSE[] SEC("license") = "GPL";

struct list_head { struct list_head *next, *prev; };
struct task_struct {
	int pid;
	int tgid;
	unsigned int flags;
	char comm[16];
	unsigned int sched_reset_on_fork:1;
	unsigned int in_execve:1;
	int bpfstore_nope;
	struct list_head tasks;
} __attribute__((preserve_access_index));
struct task_struct___flavour { int pid; int bpfstore_also_nope; } __attribute__((preserve_access_index));
struct bpfstore_no_such_type { int x; };
enum bpf_map_type___local { BPF_MAP_TYPE_HASH___local = 1, BPF_MAP_TYPE_RINGBUF___local = 2, BPF_MAP_TYPE_BPFSTORE_NOPE___local = 3 };

__u64 out[16];

SEC("tracepoint/sched/sched_process_exit")
int core_kinds(void *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct task_struct___flavour *f = (void *)t;

	out[0] = BPF_CORE_READ(t, pid) + BPF_CORE_READ(f, pid);
	out[1] = bpf_core_field_exists(t->bpfstore_nope) ? BPF_CORE_READ(t, bpfstore_nope) : 7;
	out[2] = bpf_core_field_size(t->comm) + bpf_core_field_offset(t->tasks.prev);
	out[3] = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	out[4] = bpf_core_field_exists(f->bpfstore_also_nope);
	out[5] = bpf_core_type_exists(struct list_head) + bpf_core_type_size(struct task_struct);
	out[6] = bpf_core_type_exists(struct bpfstore_no_such_type);
	out[7] = bpf_core_type_id_kernel(struct task_struct);
	out[8] = bpf_core_type_id_local(struct task_struct);
	out[9] = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	out[10] = bpf_core_enum_value(enum bpf_map_type___local, BPF_MAP_TYPE_RINGBUF___local);
	out[11] = bpf_core_enum_value_exists(enum bpf_map_type___local, BPF_MAP_TYPE_BPFSTORE_NOPE___local);
	out[12] = bpf_core_type_matches(struct list_head);
	out[13] = __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED) + __builtin_preserve_field_info(t->flags, BPF_FIELD_SIGNED);
	return 0;
}
""";

    /** An array of maps with two statically placed inner maps. */
    static final String MAP_IN_MAP = """
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner);
} outer_maps SEC(".maps") = { .values = { [0] = &inner_a, [2] = &inner_b } };

SEC("xdp")
int xdp_map_in_map(struct xdp_md *ctx)
{
	__u32 slot = ctx->rx_queue_index & 3, key = 0;
	void *inner = bpf_map_lookup_elem(&outer_maps, &slot);
	if (!inner)
		return XDP_PASS;
	__u64 *v = bpf_map_lookup_elem(inner, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}
""";

    /** __kconfig externs: version, features, y/m/n, numbers, a string, weak ones the kernel does not set. */
    static final String KCONFIG = """
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig;
extern char CONFIG_LOCALVERSION[16] __kconfig __weak;
extern int CONFIG_BPFSTORE_NOT_SET __kconfig __weak;
extern unsigned long long CONFIG_BPFSTORE_ALSO_NOT_SET __kconfig __weak;

__u64 out[8];

SEC("xdp")
int xdp_kconfig(struct xdp_md *ctx)
{
	out[0] = LINUX_KERNEL_VERSION;
	out[1] = CONFIG_BPF_SYSCALL + CONFIG_BPF_JIT;
	out[2] = CONFIG_LOCALVERSION[1];
	out[3] = CONFIG_BPFSTORE_NOT_SET + CONFIG_BPFSTORE_ALSO_NOT_SET;
	if (CONFIG_HZ == 250)
		return XDP_DROP;
	return XDP_PASS;
}
""";

    @TempDir
    Path dir;

    @Test
    void kconfigExternsAreLaidOutAndFilledAsLibbpfDoes() throws IOException, InterruptedException {
        compare(Clang.compile(dir, "kconfig", KCONFIG), "kconfig");
    }

    @Test
    void everyCoreKindRelocatesAsLibbpfDoes() throws IOException, InterruptedException {
        Path c = dir.resolve("core_kinds.c");
        Path o = dir.resolve("core_kinds.o");
        Files.writeString(c, CORE_KINDS);
        BpfClang.compile("clang-19", c, o, "-Wall");
        compare(o, "core");
    }

    @Test
    void arrayOfMapsIsFilledAsLibbpfFillsIt() throws IOException, InterruptedException {
        compare(Clang.compile(dir, "map_in_map", MAP_IN_MAP), "mim");
    }

    private static void compare(Path object, String name) throws IOException, InterruptedException {
        Oracles.requireRoot();
        Differential d;
        try (PinDir pins = PinDir.create("loader-" + name)) {
            d = new Differential(pins);
            assertTrue(d.compare(object), object.getFileName() + " should load");
        }
        Leftovers.assertGone(d.programs, d.maps);
        Leftovers.assertBtfGone(d.btf);
    }
}
