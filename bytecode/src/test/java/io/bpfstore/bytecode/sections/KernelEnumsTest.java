package io.bpfstore.bytecode.sections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The enums against their oracles: the running kernel's BTF (numbers and names) and the installed libbpf's
 * {@code libbpf_bpf_*_type_str} (the lower-case names bpftool prints).
 */
class KernelEnumsTest {

    /** Values newer than the kernel these tests run on (6.18): libbpf 1.7's UAPI copy has them. */
    private static final Set<String> NEWER_THAN_RUNNING_KERNEL = Set.of("BPF_TRACE_FSESSION",
            "BPF_MAP_TYPE_INSN_ARRAY");

    /** Kernel aliases: a second name for a number that already has a constant. */
    private static final Map<String, String> KERNEL_ALIASES = Map.of(
            "BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED", "BPF_MAP_TYPE_CGROUP_STORAGE",
            "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE_DEPRECATED", "BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE");

    /** Names that libbpf 1.1.2 cannot print yet (its tables predate them), with the libbpf release that added them. */
    private static final Map<String, String> NAMES_AFTER_LIBBPF_112 = Map.ofEntries(
            Map.entry("BPF_PROG_TYPE_NETFILTER", "1.3"),
            Map.entry("BPF_STRUCT_OPS", "1.2"),
            Map.entry("BPF_NETFILTER", "1.3"),
            Map.entry("BPF_TCX_INGRESS", "1.3"),
            Map.entry("BPF_TCX_EGRESS", "1.3"),
            Map.entry("BPF_TRACE_UPROBE_MULTI", "1.3"),
            Map.entry("BPF_CGROUP_UNIX_CONNECT", "1.3"),
            Map.entry("BPF_CGROUP_UNIX_SENDMSG", "1.3"),
            Map.entry("BPF_CGROUP_UNIX_RECVMSG", "1.3"),
            Map.entry("BPF_CGROUP_UNIX_GETPEERNAME", "1.3"),
            Map.entry("BPF_CGROUP_UNIX_GETSOCKNAME", "1.3"),
            Map.entry("BPF_NETKIT_PRIMARY", "1.3"),
            Map.entry("BPF_NETKIT_PEER", "1.3"),
            Map.entry("BPF_TRACE_KPROBE_SESSION", "1.5"),
            Map.entry("BPF_TRACE_UPROBE_SESSION", "1.6"),
            Map.entry("BPF_TRACE_FSESSION", "1.7"),
            Map.entry("BPF_MAP_TYPE_ARENA", "1.4"),
            Map.entry("BPF_MAP_TYPE_INSN_ARRAY", "1.7"));

    @Test
    void programTypesMatchKernelBtf() {
        compareWithKernel("bpf_prog_type", ProgramType.values(), ProgramType::kernelName, ProgramType::number,
                n -> ProgramType.fromNumber(n).map(ProgramType::kernelName));
    }

    @Test
    void attachTypesMatchKernelBtf() {
        compareWithKernel("bpf_attach_type", AttachType.values(), AttachType::kernelName, AttachType::number,
                n -> AttachType.fromNumber(n).map(AttachType::kernelName));
    }

    @Test
    void mapTypesMatchKernelBtf() {
        compareWithKernel("bpf_map_type", MapType.values(), MapType::kernelName, MapType::number,
                n -> MapType.fromNumber(n).map(MapType::kernelName));
    }

    @Test
    void xdpActionsMatchKernelBtf() {
        compareWithKernel("xdp_action", XdpAction.values(), XdpAction::kernelName, XdpAction::number,
                n -> XdpAction.fromNumber(n).map(XdpAction::kernelName));
    }

    /** The {@code TC_ACT_*} verdicts are macros, not in the kernel's BTF: the installed UAPI header is the oracle. */
    @Test
    void tcActionsMatchTheUapiHeader() throws IOException {
        Map<String, Integer> header = new LinkedHashMap<>();
        Matcher define = Pattern.compile("(?m)^#define (TC_ACT_[A-Z]+)\\s+\\(?(-?\\d+)\\)?")
                .matcher(Files.readString(Path.of("/usr/include/linux/pkt_cls.h")));
        while (define.find()) {
            header.put(define.group(1), Integer.parseInt(define.group(2)));
        }
        Map<String, Integer> ours = new LinkedHashMap<>();
        for (TcAction a : TcAction.values()) {
            ours.put(a.kernelName(), a.number());
            assertEquals(Optional.of(a), TcAction.fromNumber(a.number()));
        }
        assertEquals(header, ours);
        assertTrue(TcAction.fromNumber(-2).isEmpty() && TcAction.fromNumber(9).isEmpty());
    }

    @Test
    void programTypeNamesMatchLibbpf() {
        compareWithLibbpf(ProgramType.values(), ProgramType::kernelName, ProgramType::number,
                ProgramType::bpftoolName, ProgramType::fromBpftoolName, Libbpf::progTypeStr);
    }

    @Test
    void attachTypeNamesMatchLibbpf() {
        compareWithLibbpf(AttachType.values(), AttachType::kernelName, AttachType::number, AttachType::libbpfName,
                AttachType::fromLibbpfName, Libbpf::attachTypeStr);
    }

    @Test
    void mapTypeNamesMatchLibbpf() {
        compareWithLibbpf(MapType.values(), MapType::kernelName, MapType::number, MapType::bpftoolName,
                MapType::fromBpftoolName, Libbpf::mapTypeStr);
    }

    @Test
    void unknownNumbersAndNamesAreEmptyNotErrors() {
        for (long n : new long[] {-1, 9_999, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertTrue(ProgramType.fromNumber(n).isEmpty(), "program type " + n);
            assertTrue(AttachType.fromNumber(n).isEmpty(), "attach type " + n);
            assertTrue(MapType.fromNumber(n).isEmpty(), "map type " + n);
        }
        assertTrue(ProgramType.fromBpftoolName("SCHED_CLS").isEmpty());
        assertTrue(AttachType.fromLibbpfName("").isEmpty());
        assertTrue(MapType.fromBpftoolName("hash ").isEmpty());
        assertEquals(Optional.of(ProgramType.SCHED_CLS), ProgramType.fromNumber(3));
        assertEquals(Optional.of(AttachType.TCX_INGRESS), AttachType.fromNumber(46));
        assertEquals(Optional.of(AttachType.TCX_EGRESS), AttachType.fromNumber(47));
        assertEquals("sched_cls", ProgramType.SCHED_CLS.bpftoolName());
    }

    /** Every kernel enumerator has a constant with the same number; every constant is in the kernel or listed. */
    private static <E> void compareWithKernel(String enumName, E[] values, Function<E, String> kernelName,
            Function<E, Integer> number, IntFunction<Optional<String>> byNumber) {
        Map<String, Long> kernel = KernelBtf.enumerators(enumName);
        assertFalse(kernel.isEmpty(), "enum " + enumName + " is empty in the kernel BTF");
        List<String> problems = new ArrayList<>();
        for (var e : kernel.entrySet()) {
            String expectedName = KERNEL_ALIASES.getOrDefault(e.getKey(), e.getKey());
            Optional<String> ours = byNumber.apply(e.getValue().intValue());
            if (!ours.equals(Optional.of(expectedName))) {
                problems.add(e.getKey() + " = " + e.getValue() + ": we have " + ours.orElse("nothing"));
            }
        }
        for (E value : values) {
            String name = kernelName.apply(value);
            Long inKernel = kernel.get(name);
            if (inKernel == null && !NEWER_THAN_RUNNING_KERNEL.contains(name)) {
                problems.add(name + " is not in the kernel's enum " + enumName + " and not listed as newer");
            } else if (inKernel != null && inKernel.intValue() != number.apply(value)) {
                problems.add(name + ": kernel " + inKernel + ", ours " + number.apply(value));
            } else if (inKernel != null && NEWER_THAN_RUNNING_KERNEL.contains(name)) {
                problems.add(name + " is listed as newer than the kernel, but the kernel has it: drop it from the list");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** libbpf prints the same name, or (documented) cannot print one yet. */
    /** Our names against libbpf's for every constant, and each of our names leads back to its constant. */
    private static <E> void compareWithLibbpf(E[] values, Function<E, String> kernelName, Function<E, Integer> number,
            Function<E, String> ourName, Function<String, Optional<E>> byOurName, IntFunction<Optional<String>> libbpf) {
        assertEquals(Libbpf.VERSION.substring(0, 3), Libbpf.majorMinor(),
                "the exception lists are written against libbpf " + Libbpf.VERSION);
        List<String> problems = new ArrayList<>();
        for (E value : values) {
            Optional<String> theirs = libbpf.apply(number.apply(value));
            String name = kernelName.apply(value);
            String after = NAMES_AFTER_LIBBPF_112.get(name);
            if (theirs.isPresent() && !theirs.get().equals(ourName.apply(value))) {
                problems.add(name + ": libbpf says " + theirs.get() + ", we say " + ourName.apply(value));
            } else if (theirs.isEmpty() && after == null) {
                problems.add(name + ": libbpf " + Libbpf.VERSION + " has no name and it is not listed as newer");
            } else if (theirs.isPresent() && after != null) {
                problems.add(name + ": libbpf " + Libbpf.VERSION + " names it, but it is listed as added in " + after);
            }
            if (!byOurName.apply(ourName.apply(value)).equals(Optional.of(value))) {
                problems.add(name + ": our name " + ourName.apply(value) + " does not lead back to it");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
