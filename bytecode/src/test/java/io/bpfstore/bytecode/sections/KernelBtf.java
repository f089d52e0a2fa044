package io.bpfstore.bytecode.sections;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        try {
            Process p = new ProcessBuilder("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("bpftool btf dump failed (exit " + p.exitValue() + ")");
            }
            return out.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("running bpftool (install it: apt-get install bpftool)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
