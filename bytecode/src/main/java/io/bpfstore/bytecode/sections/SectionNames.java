package io.bpfstore.bytecode.sections;

import static io.bpfstore.bytecode.sections.AttachTarget.BPF_FUNCTION;
import static io.bpfstore.bytecode.sections.AttachTarget.ITERATOR;
import static io.bpfstore.bytecode.sections.AttachTarget.KERNEL_FUNCTION;
import static io.bpfstore.bytecode.sections.AttachTarget.KERNEL_FUNCTION_PATTERN;
import static io.bpfstore.bytecode.sections.AttachTarget.LSM_HOOK;
import static io.bpfstore.bytecode.sections.AttachTarget.NONE;
import static io.bpfstore.bytecode.sections.AttachTarget.RAW_TRACEPOINT;
import static io.bpfstore.bytecode.sections.AttachTarget.SYSCALL;
import static io.bpfstore.bytecode.sections.AttachTarget.TRACEPOINT;
import static io.bpfstore.bytecode.sections.AttachTarget.USDT_PROBE;
import static io.bpfstore.bytecode.sections.AttachTarget.USER_FUNCTION;
import static io.bpfstore.bytecode.sections.AttachTarget.USER_FUNCTION_PATTERN;
import static io.bpfstore.bytecode.sections.SectionDefinition.Trait.ATTACHABLE;
import static io.bpfstore.bytecode.sections.SectionDefinition.Trait.ATTACH_BTF;
import static io.bpfstore.bytecode.sections.SectionDefinition.Trait.EXPECTED_ATTACH_TYPE_OPTIONAL;
import static io.bpfstore.bytecode.sections.SectionDefinition.Trait.SLEEPABLE;
import static io.bpfstore.bytecode.sections.SectionDefinition.Trait.USDT;
import static io.bpfstore.bytecode.sections.SectionDefinition.Trait.XDP_FRAGS;

import io.bpfstore.bytecode.sections.SectionDefinition.Trait;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * libbpf's conventions for ELF section names ({@code SEC("...")} in C): the program type, expected attach type and
 * attach target that a section name implies. The table follows libbpf 1.7's {@code section_defs[]} row by row, in
 * the same order, because the first matching row wins ({@code xdp.frags/devmap} must be tried before {@code xdp}).
 *
 * <p>Rows that libbpf added after the Debian 12 release (1.1.2) carry the release that added them in {@link
 * SectionDefinition#sinceLibbpf()}; an object built for a newer libbpf can use them, an older loader would refuse
 * the object.
 */
public final class SectionNames {
    private static final boolean AUTO = true;
    private static final boolean MANUAL = false;

    /** Rows that libbpf before 1.0 also matched by bare prefix ({@code SEC_SLOPPY_PFX} in libbpf 0.x). */
    private static final Set<String> LEGACY_PREFIX_ROWS = Set.of(
            "socket", "sk_reuseport/migrate", "sk_reuseport", "classifier", "action", "xdp", "perf_event",
            "lwt_in", "lwt_out", "lwt_xmit", "lwt_seg6local", "cgroup_skb/ingress", "cgroup_skb/egress",
            "cgroup/skb", "cgroup/sock_create", "cgroup/sock_release", "cgroup/sock", "cgroup/post_bind4",
            "cgroup/post_bind6", "cgroup/dev", "sockops", "sk_skb/stream_parser", "sk_skb/stream_verdict", "sk_skb",
            "sk_msg", "lirc_mode2", "flow_dissector", "cgroup/bind4", "cgroup/bind6", "cgroup/connect4",
            "cgroup/connect6", "cgroup/sendmsg4", "cgroup/sendmsg6", "cgroup/recvmsg4", "cgroup/recvmsg6",
            "cgroup/getpeername4", "cgroup/getpeername6", "cgroup/getsockname4", "cgroup/getsockname6",
            "cgroup/sysctl", "cgroup/getsockopt", "cgroup/setsockopt", "sk_lookup");

    private static final List<SectionDefinition> TABLE = table();

    private SectionNames() {
    }

    /**
     * The definition libbpf (1.x) would use for a program in section {@code sectionName}, or empty when libbpf
     * would refuse to guess the program type ({@code -ESRCH}).
     */
    public static Optional<SectionDefinition> lookup(String sectionName) {
        Objects.requireNonNull(sectionName, "sectionName");
        for (SectionDefinition definition : TABLE) {
            if (definition.matches(sectionName)) {
                return Optional.of(definition);
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #lookup(String)}, but also accepting the bare-prefix names that libbpf before 1.0 accepted for
     * some rows ({@code xdp_prog}, {@code classifier_ingress}, {@code socket1}): what an object built in the
     * libbpf 0.x era meant. In a single pass in table order, a row matches by its libbpf 1.x rule or, for the
     * rows that had the legacy flag, by prefix; that is how libbpf 0.x searched.
     */
    public static Optional<SectionDefinition> lookupLegacy(String sectionName) {
        Objects.requireNonNull(sectionName, "sectionName");
        for (SectionDefinition definition : TABLE) {
            if (definition.matches(sectionName)
                    || (definition.legacyPrefixMatch() && sectionName.startsWith(definition.prefix()))) {
                return Optional.of(definition);
            }
        }
        return Optional.empty();
    }

    /**
     * The definition of a program in section {@code sectionName} whose type the user gives (libbpf's
     * {@code bpf_program__set_type}, {@code tc ... bpf obj ... type}), for sections that name no type or name another:
     * the type, and the expected attach type of libbpf's plainest row for that type (no attach target, no {@code /} or
     * {@code .} in the name where there is one: {@code xdp} for XDP); no traits, nothing to attach to automatically.
     */
    public static SectionDefinition given(String sectionName, ProgramType type) {
        Objects.requireNonNull(type, "type");
        List<SectionDefinition> rows = TABLE.stream()
                .filter(d -> d.programType() == type && d.target() == AttachTarget.NONE).toList();
        Optional<AttachType> attach = rows.stream().filter(d -> !d.prefix().contains("/") && !d.prefix().contains("."))
                .findFirst().or(() -> rows.stream().findFirst()).flatMap(SectionDefinition::expectedAttachType);
        return new SectionDefinition(sectionName, MatchRule.EXACT, type, attach, Set.of(), AttachTarget.NONE, MANUAL,
                false, "1.1");
    }

    /** Every row, in libbpf's order. */
    public static List<SectionDefinition> definitions() {
        return TABLE;
    }

    private static List<SectionDefinition> table() {
        List<SectionDefinition> t = new ArrayList<>();
        t.add(def("socket", ProgramType.SOCKET_FILTER, null, NONE, MANUAL, "1.1"));
        t.add(def("sk_reuseport/migrate", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE,
                NONE, MANUAL, "1.1", ATTACHABLE));
        t.add(def("sk_reuseport", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT, NONE, MANUAL, "1.1",
                ATTACHABLE));

        // kprobes, uprobes, USDT: the suffix is the probe point.
        t.add(def("kprobe+", ProgramType.KPROBE, null, KERNEL_FUNCTION, AUTO, "1.1"));
        t.add(def("uprobe+", ProgramType.KPROBE, null, USER_FUNCTION, AUTO, "1.1"));
        t.add(def("uprobe.s+", ProgramType.KPROBE, null, USER_FUNCTION, AUTO, "1.1", SLEEPABLE));
        t.add(def("kretprobe+", ProgramType.KPROBE, null, KERNEL_FUNCTION, AUTO, "1.1"));
        t.add(def("uretprobe+", ProgramType.KPROBE, null, USER_FUNCTION, AUTO, "1.1"));
        t.add(def("uretprobe.s+", ProgramType.KPROBE, null, USER_FUNCTION, AUTO, "1.1", SLEEPABLE));
        t.add(def("kprobe.multi+", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, KERNEL_FUNCTION_PATTERN,
                AUTO, "1.1"));
        t.add(def("kretprobe.multi+", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, KERNEL_FUNCTION_PATTERN,
                AUTO, "1.1"));
        t.add(def("kprobe.session+", ProgramType.KPROBE, AttachType.TRACE_KPROBE_SESSION, KERNEL_FUNCTION_PATTERN,
                AUTO, "1.5"));
        t.add(def("uprobe.multi+", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN, AUTO,
                "1.3"));
        t.add(def("uretprobe.multi+", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN,
                AUTO, "1.3"));
        t.add(def("uprobe.session+", ProgramType.KPROBE, AttachType.TRACE_UPROBE_SESSION, USER_FUNCTION_PATTERN,
                AUTO, "1.6"));
        t.add(def("uprobe.multi.s+", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN,
                AUTO, "1.3", SLEEPABLE));
        t.add(def("uretprobe.multi.s+", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN,
                AUTO, "1.3", SLEEPABLE));
        t.add(def("uprobe.session.s+", ProgramType.KPROBE, AttachType.TRACE_UPROBE_SESSION, USER_FUNCTION_PATTERN,
                AUTO, "1.6", SLEEPABLE));
        t.add(def("ksyscall+", ProgramType.KPROBE, null, SYSCALL, AUTO, "1.1"));
        t.add(def("kretsyscall+", ProgramType.KPROBE, null, SYSCALL, AUTO, "1.1"));
        t.add(def("usdt+", ProgramType.KPROBE, null, USDT_PROBE, AUTO, "1.1", USDT));
        t.add(def("usdt.s+", ProgramType.KPROBE, null, USDT_PROBE, AUTO, "1.3", USDT, SLEEPABLE));

        // tc: tcx and netkit take the hook from the name; plain "tc" is the legacy cls_bpf form.
        t.add(def("tc/ingress", ProgramType.SCHED_CLS, AttachType.TCX_INGRESS, NONE, MANUAL, "1.3"));
        t.add(def("tc/egress", ProgramType.SCHED_CLS, AttachType.TCX_EGRESS, NONE, MANUAL, "1.3"));
        t.add(def("tcx/ingress", ProgramType.SCHED_CLS, AttachType.TCX_INGRESS, NONE, MANUAL, "1.3"));
        t.add(def("tcx/egress", ProgramType.SCHED_CLS, AttachType.TCX_EGRESS, NONE, MANUAL, "1.3"));
        t.add(def("tc", ProgramType.SCHED_CLS, null, NONE, MANUAL, "1.1"));
        t.add(def("classifier", ProgramType.SCHED_CLS, null, NONE, MANUAL, "1.1"));
        t.add(def("action", ProgramType.SCHED_ACT, null, NONE, MANUAL, "1.1"));
        t.add(def("netkit/primary", ProgramType.SCHED_CLS, AttachType.NETKIT_PRIMARY, NONE, MANUAL, "1.3"));
        t.add(def("netkit/peer", ProgramType.SCHED_CLS, AttachType.NETKIT_PEER, NONE, MANUAL, "1.3"));

        // Tracepoints.
        t.add(def("tracepoint+", ProgramType.TRACEPOINT, null, TRACEPOINT, AUTO, "1.1"));
        t.add(def("tp+", ProgramType.TRACEPOINT, null, TRACEPOINT, AUTO, "1.1"));
        t.add(def("raw_tracepoint+", ProgramType.RAW_TRACEPOINT, null, RAW_TRACEPOINT, AUTO, "1.1"));
        t.add(def("raw_tp+", ProgramType.RAW_TRACEPOINT, null, RAW_TRACEPOINT, AUTO, "1.1"));
        t.add(def("raw_tracepoint.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, null, RAW_TRACEPOINT, AUTO, "1.1"));
        t.add(def("raw_tp.w+", ProgramType.RAW_TRACEPOINT_WRITABLE, null, RAW_TRACEPOINT, AUTO, "1.1"));

        // BTF-typed tracing: the target is resolved to a BTF id at load time.
        t.add(def("tp_btf+", ProgramType.TRACING, AttachType.TRACE_RAW_TP, AttachTarget.BTF_TRACEPOINT, AUTO, "1.1",
                ATTACH_BTF));
        t.add(def("fentry+", ProgramType.TRACING, AttachType.TRACE_FENTRY, KERNEL_FUNCTION, AUTO, "1.1",
                ATTACH_BTF));
        t.add(def("fmod_ret+", ProgramType.TRACING, AttachType.MODIFY_RETURN, KERNEL_FUNCTION, AUTO, "1.1",
                ATTACH_BTF));
        t.add(def("fexit+", ProgramType.TRACING, AttachType.TRACE_FEXIT, KERNEL_FUNCTION, AUTO, "1.1", ATTACH_BTF));
        t.add(def("fentry.s+", ProgramType.TRACING, AttachType.TRACE_FENTRY, KERNEL_FUNCTION, AUTO, "1.1",
                ATTACH_BTF, SLEEPABLE));
        t.add(def("fmod_ret.s+", ProgramType.TRACING, AttachType.MODIFY_RETURN, KERNEL_FUNCTION, AUTO, "1.1",
                ATTACH_BTF, SLEEPABLE));
        t.add(def("fexit.s+", ProgramType.TRACING, AttachType.TRACE_FEXIT, KERNEL_FUNCTION, AUTO, "1.1",
                ATTACH_BTF, SLEEPABLE));
        t.add(def("fsession+", ProgramType.TRACING, AttachType.TRACE_FSESSION, KERNEL_FUNCTION, AUTO, "1.7",
                ATTACH_BTF));
        t.add(def("fsession.s+", ProgramType.TRACING, AttachType.TRACE_FSESSION, KERNEL_FUNCTION, AUTO, "1.7",
                ATTACH_BTF, SLEEPABLE));
        t.add(def("freplace+", ProgramType.EXT, null, BPF_FUNCTION, AUTO, "1.1", ATTACH_BTF));
        t.add(def("lsm+", ProgramType.LSM, AttachType.LSM_MAC, LSM_HOOK, AUTO, "1.1", ATTACH_BTF));
        t.add(def("lsm.s+", ProgramType.LSM, AttachType.LSM_MAC, LSM_HOOK, AUTO, "1.1", ATTACH_BTF, SLEEPABLE));
        t.add(def("lsm_cgroup+", ProgramType.LSM, AttachType.LSM_CGROUP, LSM_HOOK, MANUAL, "1.1", ATTACH_BTF));
        t.add(def("iter+", ProgramType.TRACING, AttachType.TRACE_ITER, ITERATOR, AUTO, "1.1", ATTACH_BTF));
        t.add(def("iter.s+", ProgramType.TRACING, AttachType.TRACE_ITER, ITERATOR, AUTO, "1.1", ATTACH_BTF,
                SLEEPABLE));
        t.add(def("syscall", ProgramType.SYSCALL, null, NONE, MANUAL, "1.1", SLEEPABLE));

        // XDP: the more specific names first.
        t.add(def("xdp.frags/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP, NONE, MANUAL, "1.1", XDP_FRAGS));
        t.add(def("xdp/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP, NONE, MANUAL, "1.1", ATTACHABLE));
        t.add(def("xdp.frags/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP, NONE, MANUAL, "1.1", XDP_FRAGS));
        t.add(def("xdp/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP, NONE, MANUAL, "1.1", ATTACHABLE));
        t.add(def("xdp.frags", ProgramType.XDP, AttachType.XDP, NONE, MANUAL, "1.1", XDP_FRAGS));
        t.add(def("xdp", ProgramType.XDP, AttachType.XDP, NONE, MANUAL, "1.1", ATTACHABLE,
                EXPECTED_ATTACH_TYPE_OPTIONAL));

        t.add(def("perf_event", ProgramType.PERF_EVENT, null, NONE, MANUAL, "1.1"));
        t.add(def("lwt_in", ProgramType.LWT_IN, null, NONE, MANUAL, "1.1"));
        t.add(def("lwt_out", ProgramType.LWT_OUT, null, NONE, MANUAL, "1.1"));
        t.add(def("lwt_xmit", ProgramType.LWT_XMIT, null, NONE, MANUAL, "1.1"));
        t.add(def("lwt_seg6local", ProgramType.LWT_SEG6LOCAL, null, NONE, MANUAL, "1.1"));

        // Sockets and cgroups: attached with BPF_PROG_ATTACH or links to a cgroup, sockmap, netns.
        t.add(attachableOpt("sockops", ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS, "1.1"));
        t.add(attachableOpt("sk_skb/stream_parser", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_PARSER, "1.1"));
        t.add(attachableOpt("sk_skb/stream_verdict", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, "1.1"));
        t.add(attachableOpt("sk_skb/verdict", ProgramType.SK_SKB, AttachType.SK_SKB_VERDICT, "1.4"));
        t.add(def("sk_skb", ProgramType.SK_SKB, null, NONE, MANUAL, "1.1"));
        t.add(attachableOpt("sk_msg", ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT, "1.1"));
        t.add(attachableOpt("lirc_mode2", ProgramType.LIRC_MODE2, AttachType.LIRC_MODE2, "1.1"));
        t.add(attachableOpt("flow_dissector", ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR, "1.1"));
        t.add(attachableOpt("cgroup_skb/ingress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, "1.1"));
        t.add(attachableOpt("cgroup_skb/egress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, "1.1"));
        t.add(def("cgroup/skb", ProgramType.CGROUP_SKB, null, NONE, MANUAL, "1.1"));
        t.add(cgroup("cgroup/sock_create", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, "1.1"));
        t.add(cgroup("cgroup/sock_release", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_RELEASE, "1.1"));
        t.add(attachableOpt("cgroup/sock", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, "1.1"));
        t.add(cgroup("cgroup/post_bind4", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND, "1.1"));
        t.add(cgroup("cgroup/post_bind6", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET6_POST_BIND, "1.1"));
        t.add(cgroup("cgroup/bind4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND, "1.1"));
        t.add(cgroup("cgroup/bind6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND, "1.1"));
        t.add(cgroup("cgroup/connect4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, "1.1"));
        t.add(cgroup("cgroup/connect6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT, "1.1"));
        t.add(cgroup("cgroup/connect_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_CONNECT, "1.3"));
        t.add(cgroup("cgroup/sendmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_SENDMSG, "1.1"));
        t.add(cgroup("cgroup/sendmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG, "1.1"));
        t.add(cgroup("cgroup/sendmsg_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_SENDMSG, "1.3"));
        t.add(cgroup("cgroup/recvmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG, "1.1"));
        t.add(cgroup("cgroup/recvmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_RECVMSG, "1.1"));
        t.add(cgroup("cgroup/recvmsg_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_RECVMSG, "1.3"));
        t.add(cgroup("cgroup/getpeername4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETPEERNAME,
                "1.1"));
        t.add(cgroup("cgroup/getpeername6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETPEERNAME,
                "1.1"));
        t.add(cgroup("cgroup/getpeername_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETPEERNAME,
                "1.3"));
        t.add(cgroup("cgroup/getsockname4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETSOCKNAME,
                "1.1"));
        t.add(cgroup("cgroup/getsockname6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETSOCKNAME,
                "1.1"));
        t.add(cgroup("cgroup/getsockname_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETSOCKNAME,
                "1.3"));
        t.add(cgroup("cgroup/sysctl", ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, "1.1"));
        t.add(cgroup("cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT, "1.1"));
        t.add(cgroup("cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT, "1.1"));
        t.add(attachableOpt("cgroup/dev", ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE, "1.1"));

        // struct_ops: the suffix is free text; the struct_ops map says which member the program implements.
        t.add(def("struct_ops+", ProgramType.STRUCT_OPS, null, NONE, MANUAL, "1.1"));
        t.add(def("struct_ops.s+", ProgramType.STRUCT_OPS, null, NONE, MANUAL, "1.2", SLEEPABLE));
        t.add(cgroup("sk_lookup", ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP, "1.1"));
        t.add(def("netfilter", ProgramType.NETFILTER, AttachType.NETFILTER, NONE, MANUAL, "1.3"));
        return List.copyOf(t);
    }

    /** A row attached with BPF_PROG_ATTACH (libbpf's SEC_ATTACHABLE). */
    private static SectionDefinition cgroup(String name, ProgramType type, AttachType attach, String since) {
        return def(name, type, attach, NONE, MANUAL, since, ATTACHABLE);
    }

    /** A row attached with BPF_PROG_ATTACH whose expected attach type older kernels lack (SEC_ATTACHABLE_OPT). */
    private static SectionDefinition attachableOpt(String name, ProgramType type, AttachType attach, String since) {
        return def(name, type, attach, NONE, MANUAL, since, ATTACHABLE, EXPECTED_ATTACH_TYPE_OPTIONAL);
    }

    /** A row from libbpf's spelling: a trailing '+' means "exact, or prefix + '/' + target". */
    private static SectionDefinition def(String spelling, ProgramType type, AttachType attach, AttachTarget target,
            boolean autoAttach, String since, Trait... traits) {
        boolean suffix = spelling.endsWith("+");
        String prefix = suffix ? spelling.substring(0, spelling.length() - 1) : spelling;
        Set<Trait> traitSet = traits.length == 0 ? EnumSet.noneOf(Trait.class) : EnumSet.copyOf(List.of(traits));
        return new SectionDefinition(prefix, suffix ? MatchRule.EXACT_OR_SLASH_SUFFIX : MatchRule.EXACT, type,
                Optional.ofNullable(attach), traitSet, target, autoAttach, LEGACY_PREFIX_ROWS.contains(prefix),
                since);
    }
}
