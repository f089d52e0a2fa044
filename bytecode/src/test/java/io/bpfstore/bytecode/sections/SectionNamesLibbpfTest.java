package io.bpfstore.bytecode.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SectionNames} against the installed libbpf: for many section names, {@code libbpf_prog_type_by_name}
 * must give the same program type and expected attach type, and {@code libbpf_attach_type_by_name} must succeed
 * exactly for the rows we mark {@link SectionDefinition#attachable()}.
 *
 * <p>Debian 12's libbpf is 1.1.2; our table is libbpf 1.7's. Rows that 1.1.2 predates are listed below with the
 * release that added them, and for names that hit them 1.1.2 must say "unknown" instead.
 */
class SectionNamesLibbpfTest {

    /** Rows added after libbpf 1.1.2, with the release that added them (from libbpf's git history). */
    private static final Map<String, String> ROWS_AFTER_LIBBPF_112 = Map.ofEntries(
            Map.entry("struct_ops.s", "1.2"),
            Map.entry("uprobe.multi", "1.3"),
            Map.entry("uretprobe.multi", "1.3"),
            Map.entry("uprobe.multi.s", "1.3"),
            Map.entry("uretprobe.multi.s", "1.3"),
            Map.entry("usdt.s", "1.3"),
            Map.entry("tc/ingress", "1.3"),
            Map.entry("tc/egress", "1.3"),
            Map.entry("tcx/ingress", "1.3"),
            Map.entry("tcx/egress", "1.3"),
            Map.entry("netkit/primary", "1.3"),
            Map.entry("netkit/peer", "1.3"),
            Map.entry("cgroup/connect_unix", "1.3"),
            Map.entry("cgroup/sendmsg_unix", "1.3"),
            Map.entry("cgroup/recvmsg_unix", "1.3"),
            Map.entry("cgroup/getpeername_unix", "1.3"),
            Map.entry("cgroup/getsockname_unix", "1.3"),
            Map.entry("netfilter", "1.3"),
            Map.entry("sk_skb/verdict", "1.4"),
            Map.entry("kprobe.session", "1.5"),
            Map.entry("uprobe.session", "1.6"),
            Map.entry("uprobe.session.s", "1.6"),
            Map.entry("fsession", "1.7"),
            Map.entry("fsession.s", "1.7"));

    /** Names that are not (or not quite) section names of any row. */
    private static final List<String> JUNK = List.of(
            "", "/", "+", "kprobe+", "xdp_prog", "classifier_ingress", "socket1", "sockops_x", ".text", "license",
            "maps", ".maps", ".rodata", ".BTF", "tcx", "tcx/", "tcx/ingress/x", "tcx/ingressx", "netkit", "cgroup",
            "cgroup/", "cgroup/connect", "cgroup/connect4/x", "fentry.", "fentry.s.", " xdp", "xdp ", "XDP",
            "Kprobe/x", "kprobe.multi.s/x", "tp.s/x", "raw_tp.s/x", "fentry.multi/x", "uprobe.multi.s.x",
            "xdp.frags/devmapx", "xdp/devmap/", "sk_skb/stream", "cgroup_skb", "cgroup_skb/", "lsm.s.x/y",
            "iter.s/", "struct_ops/", "ksyscall.s/x", "usdt.x", "syscall/x", "perf_event/x", "tc/", "tc/x",
            "action/x", "classifier/x", "lwt_in/x", "sk_lookup/x", "sk_msg/x", "netfilter/x", "sk_reuseport/x",
            "sk_reuseport/migrate/x", "\u00e9xdp", "kprobe/\u00e9t\u00e9");

    @Test
    void everyNameGetsWhatLibbpfGives() {
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (String name : names()) {
            problems.addAll(differences(name));
            compared += SectionNames.lookup(name).map(d -> d.sinceLibbpf().equals("1.1")).orElse(true) ? 1 : 0;
        }
        assertTrue(problems.isEmpty(), problems.size() + " differences:\n" + String.join("\n", problems));
        assertTrue(compared > 300, "compared only " + compared + " names");
    }

    /**
     * How our answer for {@code name} differs from libbpf 1.1.2's: program type, expected attach type and
     * attachability; for rows newer than 1.1.2, that 1.1.2 does not know the name and the row is listed.
     */
    static List<String> differences(String name) {
        List<String> problems = new ArrayList<>();
        Optional<SectionDefinition> ours = SectionNames.lookup(name);
        Optional<Libbpf.Guess> theirs = Libbpf.progTypeByName(name);
        Optional<Integer> theirAttach = Libbpf.attachTypeByName(name);
        if (ours.isPresent() && !ours.get().sinceLibbpf().equals("1.1")) {
            String since = ROWS_AFTER_LIBBPF_112.get(ours.get().prefix());
            if (!ours.get().sinceLibbpf().equals(since)) {
                problems.add(name + ": row " + ours.get().prefix() + " is from libbpf " + ours.get().sinceLibbpf()
                        + " but the exception list says " + since);
            }
            if (theirs.isPresent()) {
                problems.add(name + ": libbpf " + Libbpf.VERSION + " knows it (" + theirs.get()
                        + "), so it is not newer");
            }
            return problems;
        }
        if (ours.isEmpty() || theirs.isEmpty()) {
            if (ours.isPresent() != theirs.isPresent()) {
                problems.add(name + ": ours " + ours.map(SectionDefinition::prefix).orElse("unknown")
                        + ", libbpf " + theirs.map(Object::toString).orElse("unknown"));
            }
            return problems;
        }
        SectionDefinition d = ours.get();
        int attach = d.expectedAttachType().map(AttachType::number).orElse(0);
        if (d.programType().number() != theirs.get().programType() || attach != theirs.get().expectedAttachType()) {
            problems.add(name + ": ours " + d.programType() + "/" + d.expectedAttachType() + ", libbpf " + theirs.get());
        }
        Optional<Integer> ourAttach = d.attachable() ? Optional.of(attach) : Optional.empty();
        if (!ourAttach.equals(theirAttach)) {
            problems.add(name + ": attachable ours " + ourAttach + ", libbpf " + theirAttach);
        }
        return problems;
    }

    @Test
    void exceptionListIsExactlyTheNewerRows() {
        Map<String, String> newer = new java.util.HashMap<>();
        for (SectionDefinition d : SectionNames.definitions()) {
            if (!d.sinceLibbpf().equals("1.1")) {
                newer.put(d.prefix(), d.sinceLibbpf());
            }
        }
        assertEquals(ROWS_AFTER_LIBBPF_112, newer);
    }

    /** Each row's prefix bare, with suffixes of every shape, and near misses; then the junk. */
    private static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (SectionDefinition d : SectionNames.definitions()) {
            String p = d.prefix();
            for (String suffix : List.of("", "/", "/foo", "/foo/bar", "/lib.so:func+0x10", "foo", "_x", ".s",
                    ".s/x", ".multi/x", ".w/x", "x/y", "+")) {
                names.add(p + suffix);
            }
            names.add(p.toUpperCase(java.util.Locale.ROOT));
            names.add(p.substring(0, p.length() - 1));
        }
        names.addAll(JUNK);
        return names;
    }
}
