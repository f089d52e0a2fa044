package io.bpfstore.kernel.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.testing.Oracles;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code struct perf_event_attr} as the sys package lays it out sits where the running kernel puts it:
 * clang checks {@code offsetof} of every named field (and the size of the whole) over the header bpftool
 * dumps from the kernel's BTF, as the sys layout test does for the bpf(2) attributes.
 */
class PerfEventAttrLayoutTest {

    @Test
    void everyFieldMatchesTheRunningKernel(@TempDir Path dir) throws Exception {
        StructLayout layout = PerfEventAttr.LAYOUT;
        StringBuilder c = new StringBuilder("#define BPF_NO_PRESERVE_ACCESS_INDEX\n#include \"vmlinux.h\"\n");
        long offset = 0;
        int fields = 0;
        for (MemoryLayout member : layout.memberLayouts()) {
            String name = member.name().orElseThrow();
            if (!name.startsWith("bits:")) {
                c.append("_Static_assert(__builtin_offsetof(struct perf_event_attr, ").append(name).append(") == ")
                        .append(offset).append(", \"").append(name).append(" is at ").append(offset).append(" in Java\");\n");
                fields++;
            }
            offset += member.byteSize();
        }
        // PERF_ATTR_SIZE_VER5: the kernel's struct is longer now; the Java layout must end where VER5 ends.
        c.append("_Static_assert(__builtin_offsetof(struct perf_event_attr, __reserved_2) + 2 == ")
                .append(layout.byteSize()).append(", \"size\");\n");
        Files.writeString(dir.resolve("vmlinux.h"),
                Oracles.run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c")));
        Files.writeString(dir.resolve("perf.c"), c);
        Oracles.run(List.of("clang", "-fsyntax-only", "-w", "-ferror-limit=0", "perf.c"), dir);
        assertEquals(112, layout.byteSize());
        assertTrue(fields >= 18, fields + " fields");
    }
}
