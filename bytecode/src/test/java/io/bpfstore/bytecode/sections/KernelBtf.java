package io.bpfstore.bytecode.sections;

import io.bpfstore.testsupport.ExternalTool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test oracle: the running kernel's own enums, as {@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}
 * prints them from the kernel's BTF. Fails (does not skip) when bpftool or the kernel BTF is missing: CI has both.
 */
public final class KernelBtf {
    private static final Pattern ENUMERATOR = Pattern.compile("^\\s+(\\w+) = (-?\\d+),$");
    private static List<String> dump;

    private KernelBtf() {
    }

    /** The enumerators of {@code enum <name>} in declaration order, name to value, without {@code __MAX_*}. */
    public static synchronized Map<String, Long> enumerators(String name) {
        if (dump == null) {
            dump = bpftoolDump();
        }
        Map<String, Long> values = new LinkedHashMap<>();
        int i = dump.indexOf("enum " + name + " {");
        if (i < 0) {
            throw new AssertionError("kernel BTF has no enum " + name);
        }
        for (i++; !dump.get(i).equals("};"); i++) {
            Matcher m = ENUMERATOR.matcher(dump.get(i));
            if (!m.matches()) {
                throw new AssertionError("unexpected line in enum " + name + ": " + dump.get(i));
            }
            if (!m.group(1).startsWith("__")) {
                values.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return values;
    }

    private static List<String> bpftoolDump() {
        return ExternalTool.output("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c").lines()
                .toList();
    }
}
