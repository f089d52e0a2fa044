package io.bpfstore.kernel.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.testing.Oracles;
import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every field of every layout sits where the running kernel puts it: the oracle is clang evaluating
 * {@code offsetof} over the header that bpftool dumps from the kernel's own BTF (/sys/kernel/btf/vmlinux).
 * Each offset becomes a static assertion, so clang checks them all at compile time (no linking, no running)
 * and names every field that is off.
 */
class LayoutOffsetsTest {

    /** A layout and where it lives in C: the C type and the member path prefix inside it. */
    private record Target(String javaName, MemoryLayout layout, String cType, String prefix) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("MapCreateAttr", MapCreateAttr.LAYOUT, "union bpf_attr", ""),
            new Target("MapElemAttr", MapElemAttr.LAYOUT, "union bpf_attr", ""),
            new Target("MapBatchAttr", MapBatchAttr.LAYOUT, "union bpf_attr", "batch."),
            new Target("ProgLoadAttr", ProgLoadAttr.LAYOUT, "union bpf_attr", ""),
            new Target("ObjPinAttr", ObjPinAttr.LAYOUT, "union bpf_attr", ""),
            new Target("GetIdAttr", GetIdAttr.LAYOUT, "union bpf_attr", ""),
            new Target("InfoAttr", InfoAttr.LAYOUT, "union bpf_attr", "info."),
            new Target("ProgQueryAttr", ProgQueryAttr.LAYOUT, "union bpf_attr", "query."),
            new Target("LinkCreateAttr", LinkCreateAttr.LAYOUT, "union bpf_attr", "link_create."),
            new Target("LinkUpdateAttr", LinkUpdateAttr.LAYOUT, "union bpf_attr", "link_update."),
            new Target("LinkDetachAttr", LinkDetachAttr.LAYOUT, "union bpf_attr", "link_detach."),
            new Target("ProgAttachAttr", ProgAttachAttr.LAYOUT, "union bpf_attr", ""),
            new Target("RawTracepointOpenAttr", RawTracepointOpenAttr.LAYOUT, "union bpf_attr", "raw_tracepoint."),
            new Target("EnableStatsAttr", EnableStatsAttr.LAYOUT, "union bpf_attr", "enable_stats."),
            new Target("BtfLoadAttr", BtfLoadAttr.LAYOUT, "union bpf_attr", ""),
            new Target("TestRunAttr", TestRunAttr.LAYOUT, "union bpf_attr", "test."),
            new Target("BpfProgInfo", BpfProgInfo.LAYOUT, "struct bpf_prog_info", ""),
            new Target("BpfMapInfo", BpfMapInfo.LAYOUT, "struct bpf_map_info", ""),
            new Target("BpfBtfInfo", BpfBtfInfo.LAYOUT, "struct bpf_btf_info", ""),
            new Target("BpfLinkInfo", BpfLinkInfo.LAYOUT, "struct bpf_link_info", ""));

    @Test
    void everyFieldOffsetMatchesTheRunningKernel(@TempDir Path dir) throws IOException {
        Map<String, Long> expected = new LinkedHashMap<>();
        StringBuilder c = new StringBuilder("""
                #define BPF_NO_PRESERVE_ACCESS_INDEX
                #include "vmlinux.h"
                """);
        int fields = 0;
        for (Target target : TARGETS) {
            Map<String, Long> offsets = new LinkedHashMap<>();
            collect(target.layout(), "", 0, offsets);
            assertTrue(offsets.size() > 0, target.javaName());
            for (Map.Entry<String, Long> field : offsets.entrySet()) {
                String expression = "__builtin_offsetof(" + target.cType() + ", " + target.prefix() + field.getKey() + ")";
                c.append("_Static_assert(").append(expression).append(" == ").append(field.getValue())
                        .append(", \"").append(target.javaName()).append('.').append(field.getKey()).append(" is at ")
                        .append(field.getValue()).append(" in Java\");\n");
                fields++;
            }
        }
        Files.writeString(dir.resolve("vmlinux.h"),
                Oracles.run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c")));
        Files.writeString(dir.resolve("offsets.c"), c);
        // Fails (with every mismatching field named) if any assertion does not hold.
        Oracles.run(List.of("clang", "-fsyntax-only", "-w", "-ferror-limit=0", "offsets.c"), dir);
        assertTrue(fields > 150, "only " + fields + " fields checked");
    }

    /** Flattens a layout into C member paths; unnamed groups (anonymous structs/unions) add no path element. */
    private static void collect(MemoryLayout layout, String prefix, long base, Map<String, Long> out) {
        if (layout instanceof GroupLayout group) {
            String inner = group.name().map(n -> prefix + n + ".").orElse(prefix);
            long offset = base;
            for (MemoryLayout member : group.memberLayouts()) {
                collect(member, inner, offset, out);
                if (group instanceof java.lang.foreign.StructLayout) {
                    offset += member.byteSize();
                }
            }
        } else if (!(layout instanceof PaddingLayout)) {
            String name = layout.name().orElseThrow(() -> new AssertionError("unnamed field under " + prefix));
            if (!name.startsWith("bits:")) { // bit-fields have no offsetof
                out.put(prefix + name, base);
            }
        }
    }
}
