// Exercises every BTF kind the reader must print like bpftool: compiled by BtfOracleTest with clang 14 and 19.
// Not a useful program; each construct is here for the type record it makes the compiler emit.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TAG(x) __attribute__((btf_decl_tag(x)))
#if __has_attribute(btf_type_tag)
#define USER __attribute__((btf_type_tag("user")))
#else
#define USER
#endif
#define CORE __attribute__((preserve_access_index))

/* ENUM64: unsigned (a value above 32 bits) and signed (a negative value below -2^31). */
enum wide { WIDE_SMALL = 1, WIDE_BIG = 0x123456789ULL, WIDE_TOP = 0xffffffffffffffffULL };
enum wide_signed { WS_NEG = -0x100000000LL, WS_POS = 5 };
/* ENUM: unsigned and signed 32-bit, and an anonymous one. */
enum colour { RED, GREEN = 7, BLUE = 0x7fffffff };
enum delta { DOWN = -1, UP = 1 };
enum { ANON_A = 3, ANON_B };

/* Bitfields make the compiler set kind_flag on the struct. */
struct flags {
	unsigned int a : 3;
	unsigned int b : 5;
	int c : 7;
	unsigned long long wide : 40;
	char tail;
};

union number {
	int i;
	float f;     /* FLOAT */
	double d;    /* FLOAT */
	struct { short lo, hi; } halves; /* anonymous STRUCT member */
};

struct fwd_only;
typedef int (*callback_t)(int, const char *);
typedef volatile const unsigned long cv_ulong;

struct everything {
	struct flags flags TAG("member_tag");
	union number number;
	enum wide wide;
	enum wide_signed wide_signed;
	enum colour colour;
	enum delta delta;
	callback_t callback;
	struct fwd_only *opaque;
	int USER *user_ptr;
	cv_ulong counter;
	char *__restrict__ restricted;
	int matrix[3][4];
	long pad[0];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct everything);
} things SEC(".maps");

/* Data sections: .data, .bss, .rodata, a custom one, extern kconfig. */
int counter_data = 42;
int counter_bss TAG("var_tag");
const volatile int config_rodata = 7;
__u64 custom_var SEC(".data.custom") = 9;
extern unsigned int LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));
extern int bpf_fake_kfunc(int x) __attribute__((section(".ksyms")));

struct task {
	int pid;
	struct { int prio; unsigned int nice : 4; } sched;
	enum colour colour;
} CORE;

static __attribute__((noinline)) int subprog(int x TAG("param_tag"))
{
	return x * 3 + counter_data;
}

__attribute__((noinline)) int global_subprog(struct everything *e) TAG("func_tag")
{
	if (!e)
		return 0;
	return e->flags.a + e->flags.c + subprog(e->colour);
}

SEC("xdp")
int prog_xdp(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct everything *e = bpf_map_lookup_elem(&things, &key);

	if (!e)
		return XDP_PASS;
	counter_bss++;
	return global_subprog(e) + config_rodata > 100 ? XDP_DROP : XDP_PASS;
}

SEC("tracepoint/syscalls/sys_enter_write")
int prog_core(struct task *t)
{
	int pid = __builtin_preserve_access_index(t->pid);
	unsigned int size = __builtin_preserve_field_info(t->sched.prio, 1 /* FIELD_BYTE_SIZE */);
	int exists = __builtin_preserve_field_info(t->sched.nice, 2 /* FIELD_EXISTS */);
	int tsize = __builtin_preserve_type_info(*t, 1 /* TYPE_SIZE */);
	int green = __builtin_preserve_enum_value(*(enum colour *)GREEN, 1 /* ENUMVAL_VALUE */);
	int blue = __builtin_preserve_enum_value(*(enum colour *)BLUE, 0 /* ENUMVAL_EXISTS */);
	int is_signed = __builtin_preserve_field_info(t->colour, 3 /* FIELD_SIGNED */);
	int lshift = __builtin_preserve_field_info(t->sched.nice, 4 /* FIELD_LSHIFT_U64 */);
	int rshift = __builtin_preserve_field_info(t->sched.nice, 5 /* FIELD_RSHIFT_U64 */);
	int local_id = __builtin_btf_type_id(*t, 0 /* TYPE_ID_LOCAL */);
	int target_id = __builtin_btf_type_id(*t, 1 /* TYPE_ID_TARGET */);
	int type_exists = __builtin_preserve_type_info(*t, 0 /* TYPE_EXISTS */);
#if __clang_major__ >= 15
	int type_matches = __builtin_preserve_type_info(*t, 2 /* TYPE_MATCHES */);
#else
	int type_matches = 0;
#endif

	if (LINUX_KERNEL_VERSION > 0x50000)
		pid += bpf_fake_kfunc(pid);
	return pid + size + exists + tsize + green + blue + is_signed + lshift + rshift + local_id + target_id
	       + type_exists + type_matches + (int)custom_var;
}

char LICENSE[] SEC("license") = "GPL";
