package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.elf.Symbol;
import io.bpfstore.bytecode.object.BpfObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * struct_ops registrations are global and by name: a TCP congestion control called "bst_cc" can be registered once
 * per kernel (a second registration is refused with EEXIST), and a name the kernel already has ("cubic") cannot be
 * taken. The name is the {@code name} member of the struct_ops variable, read from the object's
 * {@code .struct_ops}/{@code .struct_ops.link} section through the BTF of that section.
 */
final class StructOpsCheck {
    /** Longest name a kernel struct_ops name member holds (TCP_CA_NAME_MAX and friends are 16 with the NUL). */
    private static final int MAX_NAME = 128;

    private StructOpsCheck() {
    }

    /**
     * A struct_ops registration of an object.
     *
     * @param variable the variable (and map) name
     * @param type     the kernel struct it implements ("tcp_congestion_ops")
     * @param name     the name it registers under
     */
    record Registration(String variable, String type, String name) {
    }

    /** Errors for two packages registering one name, and for names the host already has. */
    static List<Finding> check(List<CheckedPackage> packages, HostView host) {
        List<Finding> out = new ArrayList<>();
        List<List<Registration>> regs = packages.stream().map(p -> registrations(p.object())).toList();
        for (int i = 0; i < packages.size(); i++) {
            CheckedPackage a = packages.get(i);
            for (Registration r : regs.get(i)) {
                Set<String> taken = host.structOps().getOrDefault(r.type(), Set.of());
                if (taken.contains(r.name())) {
                    out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR,
                            List.of(new Subject.PackageRef(a.name()), new Subject.MapRef(a.name(), r.variable()),
                                    new Subject.AttachPoint("struct_ops " + r.type(), r.name())),
                            a.name() + " registers " + r.type() + " '" + r.name() + "' (" + r.variable() + "), a name "
                                    + "this kernel already has; the registration would be refused (EEXIST)",
                            "rename " + r.variable() + "'s name member in " + a.name() + ", or unregister the "
                                    + "existing '" + r.name() + "'"));
                }
                for (int j = i + 1; j < packages.size(); j++) {
                    CheckedPackage b = packages.get(j);
                    for (Registration s : regs.get(j)) {
                        if (s.type().equals(r.type()) && s.name().equals(r.name())) {
                            out.add(new Finding(FindingClass.EXCLUSIVE_HOOK, Severity.ERROR,
                                    List.of(new Subject.PackageRef(a.name()), new Subject.MapRef(a.name(), r.variable()),
                                            new Subject.PackageRef(b.name()), new Subject.MapRef(b.name(), s.variable()),
                                            new Subject.AttachPoint("struct_ops " + r.type(), r.name())),
                                    "both " + a.name() + " (" + r.variable() + ") and " + b.name() + " ("
                                            + s.variable() + ") register " + r.type() + " '" + r.name() + "'; the "
                                            + "kernel keeps one registration per name, so the second is refused "
                                            + "(EEXIST)",
                                    "install only one of them, or give one a different name"));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The struct_ops registrations of an object that have a {@code name} member. */
    static List<Registration> registrations(BpfObject object) {
        List<Registration> out = new ArrayList<>();
        Optional<Btf> btf = object.btf();
        if (btf.isEmpty()) {
            return out;
        }
        for (Section section : object.elf().sections()) {
            if (!section.name().startsWith(".struct_ops") || section.type() != Section.SHT_PROGBITS) {
                continue;
            }
            Optional<BtfType.Datasec> sec = btf.get().find(section.name(), BtfType.Datasec.class);
            if (sec.isEmpty()) {
                continue;
            }
            byte[] data = section.bytes();
            for (Symbol sym : object.elf().symbols()) {
                if (sym.sectionIndex() != section.index() || sym.type() != Symbol.STT_OBJECT) {
                    continue;
                }
                for (BtfType.VarSecinfo v : sec.get().vars()) {
                    if (v.offset() != sym.value() || !(btf.get().type(v.type()) instanceof BtfType.Var var)) {
                        continue;
                    }
                    if (btf.get().resolve(var.type()) instanceof BtfType.Struct struct) {
                        nameOf(btf.get(), struct, data, sym.value())
                                .ifPresent(n -> out.add(new Registration(sym.name(), struct.name(), n)));
                    }
                }
            }
        }
        return out;
    }

    /** The NUL-terminated {@code name} member of the struct at {@code base} in {@code data}. */
    private static Optional<String> nameOf(Btf btf, BtfType.Struct struct, byte[] data, long base) {
        for (BtfType.Member m : struct.members()) {
            if (!m.name().equals("name") || !(btf.resolve(m.type()) instanceof BtfType.Array array)) {
                continue;
            }
            long start = base + m.bitOffset() / 8;
            long length = Math.min(array.count(), MAX_NAME);
            if (start < 0 || start + length > data.length) {
                return Optional.empty(); // not in the section's bytes: nothing to name
            }
            int end = (int) start;
            while (end < start + length && data[end] != 0) {
                end++;
            }
            String name = new String(data, (int) start, end - (int) start, StandardCharsets.UTF_8);
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        }
        return Optional.empty();
    }
}
