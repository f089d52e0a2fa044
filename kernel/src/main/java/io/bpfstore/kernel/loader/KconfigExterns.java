package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.elf.Symbol;
import io.bpfstore.bytecode.object.BpfObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * {@code extern ... __kconfig} variables: libbpf lays them out in one read-only internal map ({@code .kconfig},
 * sorted by alignment descending, then size, then name) and fills it from the running kernel: its version, its
 * features, and its {@code CONFIG_*} values ({@code /boot/config-<release>} or {@code /proc/config.gz}).
 */
final class KconfigExterns {
    static final String SECTION = ".kconfig";

    /** One extern: its BTF variable, size, alignment, offset in the map, and whether it is weak. */
    record Extern(BtfType.Var var, int size, int align, int offset, boolean weak) {
    }

    private KconfigExterns() {
    }

    /** The layout of the object's kconfig externs; empty when it has none. */
    static List<Extern> layout(BpfObject object) {
        Optional<Btf> btf = object.btf();
        Optional<BtfType.Datasec> sec = btf.flatMap(b -> b.find(SECTION, BtfType.Datasec.class));
        if (sec.isEmpty()) {
            return List.of();
        }
        List<Extern> unplaced = new ArrayList<>();
        for (BtfType.VarSecinfo v : sec.get().vars()) {
            if (!(btf.get().type(v.type()) instanceof BtfType.Var var)) {
                continue;
            }
            boolean weak = object.elf().symbols().stream().anyMatch(s -> s.name().equals(var.name())
                    && s.binding() == Symbol.STB_WEAK);
            unplaced.add(new Extern(var, (int) btf.get().sizeof(var.type()), align(btf.get(), var.type()), 0, weak));
        }
        unplaced.sort(Comparator.comparingInt((Extern e) -> -e.align()).thenComparingInt(Extern::size)
                .thenComparing(e -> e.var().name()));
        List<Extern> placed = new ArrayList<>();
        int off = 0;
        for (Extern e : unplaced) {
            off = (off + e.align() - 1) / e.align() * e.align();
            placed.add(new Extern(e.var(), e.size(), e.align(), off, e.weak()));
            off += e.size();
        }
        return placed;
    }

    /** Size of the map value: the end of the last extern. */
    static int size(List<Extern> layout) {
        return layout.isEmpty() ? 0 : layout.getLast().offset() + layout.getLast().size();
    }

    /** libbpf's btf__align_of. */
    private static int align(Btf btf, int id) {
        BtfType t = btf.resolve(id);
        return switch (t) {
            case BtfType.Int i -> (int) Math.min(8, i.size());
            case BtfType.Enumeration e -> (int) Math.min(8, e.size());
            case BtfType.Ptr p -> 8;
            case BtfType.Float f -> (int) Math.min(8, f.size());
            case BtfType.Array a -> align(btf, a.elementType());
            case BtfType.Composite c -> c.members().stream().mapToInt(m -> align(btf, m.type())).max().orElse(1);
            default -> 1;
        };
    }

    /** The map's contents for this kernel. */
    static byte[] values(BpfObject object, List<Extern> layout) {
        byte[] out = new byte[size(layout)];
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        Map<String, String> config = null;
        Btf btf = object.btf().orElseThrow();
        for (Extern e : layout) {
            String name = e.var().name();
            String value;
            switch (name) {
                case "LINUX_KERNEL_VERSION" -> value = Long.toString(kernelVersion());
                case "LINUX_HAS_BPF_COOKIE", "LINUX_HAS_SYSCALL_WRAPPER" -> value = "1";
                default -> {
                    if (!name.startsWith("CONFIG_")) {
                        throw new LoadException("load object " + object.name() + ": extern " + name
                                + " (__kconfig) is not a value libbpf or bpfstore knows");
                    }
                    if (config == null) {
                        config = kernelConfig(object.name());
                    }
                    value = config.get(name);
                }
            }
            if (value == null) {
                if (e.weak()) {
                    continue; // weak and unset: stays zero, as libbpf leaves it
                }
                throw new LoadException("load object " + object.name() + ": extern " + name
                        + " (__kconfig) is not set in this kernel's configuration");
            }
            put(buf, e, btf, value, object.name());
        }
        return out;
    }

    private static void put(ByteBuffer buf, Extern e, Btf btf, String value, String object) {
        BtfType t = btf.resolve(e.var().type());
        String what = "load object " + object + ": extern " + e.var().name() + " = " + value;
        if (t instanceof BtfType.Array a && btf.resolve(a.elementType()) instanceof BtfType.Int) {
            if (!value.startsWith("\"")) {
                throw new LoadException(what + ": a string extern needs a quoted value");
            }
            byte[] s = value.substring(1, Math.max(1, value.length() - 1)).getBytes(StandardCharsets.UTF_8);
            buf.put(e.offset(), s, 0, Math.min(s.length, e.size() - 1));
            return;
        }
        long number;
        if (t instanceof BtfType.Enum en && en.name().equals("libbpf_tristate") || t instanceof BtfType.Int i && i.size() == 1
                && (i.encoding() & BtfType.Int.BOOL) != 0) {
            number = switch (value) {
                case "y" -> 1;
                case "m" -> t instanceof BtfType.Enum ? 2 : fail(what, "a module is not a bool");
                case "n" -> 0;
                default -> fail(what, "not y, m or n");
            };
        } else if (value.equals("y") || value.equals("m") || value.equals("n")) {
            number = value.equals("n") ? 0 : value.equals("y") ? 1 : 2;
        } else {
            try {
                number = value.startsWith("0x") || value.startsWith("0X") ? Long.parseUnsignedLong(value.substring(2), 16)
                        : Long.parseLong(value);
            } catch (NumberFormatException ex) {
                throw new LoadException(what + ": not a number", ex);
            }
        }
        switch (e.size()) {
            case 1 -> buf.put(e.offset(), (byte) number);
            case 2 -> buf.putShort(e.offset(), (short) number);
            case 4 -> buf.putInt(e.offset(), (int) number);
            case 8 -> buf.putLong(e.offset(), number);
            default -> throw new LoadException(what + ": " + e.size() + "-byte externs are not numbers");
        }
    }

    private static long fail(String what, String why) {
        throw new LoadException(what + ": " + why);
    }

    /** libbpf's get_kernel_version: KERNEL_VERSION(major, minor, min(patch, 255)) from the release string. */
    static long kernelVersion() {
        String release = System.getProperty("os.version", "0.0.0");
        String[] parts = release.split("[^0-9]+");
        long major = parts.length > 0 && !parts[0].isEmpty() ? Long.parseLong(parts[0]) : 0;
        long minor = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
        long patch = parts.length > 2 ? Long.parseLong(parts[2]) : 0;
        return (major << 16) + (minor << 8) + Math.min(patch, 255);
    }

    private static Map<String, String> kernelConfig(String object) {
        Path boot = Path.of("/boot/config-" + System.getProperty("os.version", ""));
        Path proc = Path.of("/proc/config.gz");
        try {
            List<String> lines;
            if (Files.isReadable(boot)) {
                lines = Files.readAllLines(boot);
            } else if (Files.isReadable(proc)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(proc))) {
                    lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                }
            } else {
                throw new LoadException("load object " + object + ": __kconfig externs need the kernel's configuration,"
                        + " and neither " + boot + " nor " + proc + " exists");
            }
            Map<String, String> out = new HashMap<>();
            for (String l : lines) {
                int eq = l.indexOf('=');
                if (l.startsWith("CONFIG_") && eq > 0) {
                    out.put(l.substring(0, eq), l.substring(eq + 1));
                }
            }
            return out;
        } catch (IOException e) {
            throw new LoadException("load object " + object + ": cannot read the kernel's configuration: " + e.getMessage(), e);
        }
    }

    /** The internal map's name as libbpf forms it: a prefix of the object name, then {@code .kconfig}. */
    static String mapName(String objectName) {
        int prefix = Math.min(16 - SECTION.length() - 1, objectName.length());
        StringBuilder b = new StringBuilder();
        for (char c : (objectName.substring(0, prefix) + SECTION).toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' ? c : '_');
        }
        return b.toString();
    }
}
