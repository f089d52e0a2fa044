package io.bpfstore.cli;

import io.bpfstore.analysis.permissions.Evidence;
import io.bpfstore.analysis.permissions.Permission;
import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.permissions.ProgramPermissions;
import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.build.PackageMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfstore inspect FILE.o}: the programs and maps of an object, as libbpf would load them. */
@Command(name = "inspect", description = "List the programs and maps of an eBPF object file.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE.o", description = "eBPF object file (ELF)")
    Path file;

    @Option(names = "--permissions",
            description = "also derive what each program can do from its bytecode (permissions with the instructions"
                    + " responsible, and the capabilities it needs)")
    boolean permissions;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        BpfObject object = BpfObject.read(file);
        PrintWriter out = output.out();
        Map<String, ProgramPermissions> derived = permissions ? PermissionAnalyzer.derive(object) : Map.of();
        if (output.json()) {
            Map<String, Object> doc = toJson(object);
            if (permissions) {
                doc.put("permissions", permissionsJson(derived));
            }
            Json.print(out, doc);
        } else {
            printText(out, object);
            if (permissions) {
                printPermissions(out, derived);
            }
        }
        return 0;
    }

    /** The JSON document: {@code object}, {@code license}, {@code programs}, {@code maps}. */
    static Map<String, Object> toJson(BpfObject object) {
        HelperCatalog helpers = HelperCatalog.bundled();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("object", object.name());
        doc.put("byte_order", object.order().toString().equals("BIG_ENDIAN") ? "big" : "little");
        doc.put("license", object.license());
        doc.put("btf", object.btf().isPresent());
        List<Map<String, Object>> programs = new ArrayList<>();
        for (Program p : object.programs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("section", p.section());
            m.put("type", p.type().map(ProgramType::bpftoolName).orElse(null));
            m.put("attach_type", p.attachType().map(AttachType::libbpfName).orElse(null));
            m.put("attach_target", p.attachTarget().orElse(null));
            m.put("instructions", p.slots());
            m.put("total_instructions", p.totalSlots());
            m.put("helpers", p.helperIds().stream().map(id -> helperName(helpers, id)).toList());
            m.put("kfuncs", p.kfuncs());
            m.put("subprograms", p.subprograms().stream().map(f -> f.name()).toList());
            programs.add(m);
        }
        doc.put("programs", programs);
        List<Map<String, Object>> maps = new ArrayList<>();
        for (MapDefinition d : object.maps()) {
            Map<String, Object> m = PackageMetadata.mapEntry(d);
            m.put("pinning", d.pinning() == MapDefinition.PIN_BY_NAME ? "by_name" : null);
            maps.add(m);
        }
        doc.put("maps", maps);
        return doc;
    }

    /** Per program: derived permissions (plain names), the evidence for each, and the capabilities needed. */
    static Map<String, Object> permissionsJson(Map<String, ProgramPermissions> derived) {
        Map<String, Object> out = new LinkedHashMap<>();
        derived.forEach((program, p) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("permissions", p.permissions().stream().map(Permission::description).toList());
            m.put("capabilities", p.capabilities().stream().map(Enum::name).toList());
            m.put("evidence", p.evidence().stream().map(Evidence::toString).toList());
            out.put(program, m);
        });
        return out;
    }

    private static void printPermissions(PrintWriter out, Map<String, ProgramPermissions> derived) {
        out.println();
        out.println("Derived from the bytecode (what each program can do):");
        derived.forEach((program, p) -> {
            Terminal.println(out, "  " + program + "  (needs " + String.join(", ",
                    p.capabilities().stream().map(Enum::name).toList()) + ")");
            for (Permission permission : p.permissions()) {
                List<Evidence> because = p.evidenceFor(permission);
                Terminal.println(out, "    - " + permission.description());
                because.stream().limit(3).forEach(e -> Terminal.println(out, "        " + e));
                if (because.size() > 3) {
                    out.println("        ... and " + (because.size() - 3) + " more");
                }
            }
        });
        out.flush();
    }

    private static String helperName(HelperCatalog helpers, int id) {
        return helpers.byId(id).map(Helper::name).orElse("helper#" + id);
    }

    private static String mapTypeName(int type) {
        return MapType.fromNumber(type).map(MapType::bpftoolName).orElse("type#" + type);
    }

    private static void printText(PrintWriter out, BpfObject object) {
        HelperCatalog helpers = HelperCatalog.bundled();
        Terminal.printf(out, "object %s: %s-endian, license \"%s\", %s%n", object.name(),
                object.order().toString().equals("BIG_ENDIAN") ? "big" : "little", object.license(),
                object.btf().isPresent() ? "with BTF" : "no BTF");
        Table programs = new Table("PROGRAM", "SECTION", "TYPE", "ATTACH TYPE", "INSNS", "HELPERS");
        for (Program p : object.programs()) {
            List<String> used = new ArrayList<>(p.helperIds().stream().map(id -> helperName(helpers, id)).toList());
            p.kfuncs().forEach(k -> used.add(k + " (kfunc)"));
            programs.row(p.name(), p.section(), p.type().map(ProgramType::bpftoolName).orElse("?"),
                    p.attachType().map(AttachType::libbpfName).orElse("-"),
                    p.totalSlots() == p.slots() ? String.valueOf(p.slots()) : p.slots() + "+" + (p.totalSlots() - p.slots()),
                    used.isEmpty() ? "-" : String.join(", ", used));
        }
        out.println();
        programs.print(out);
        Table maps = new Table("MAP", "TYPE", "KEY", "VALUE", "MAX ENTRIES", "FLAGS");
        for (MapDefinition d : object.maps()) {
            maps.row(d.name(), mapTypeName(d.type()), String.valueOf(d.keySize()), String.valueOf(d.valueSize()),
                    String.valueOf(d.maxEntries()), d.flags() == 0 ? "-" : "0x" + Long.toHexString(d.flags()));
        }
        out.println();
        maps.print(out);
        out.flush();
    }
}
