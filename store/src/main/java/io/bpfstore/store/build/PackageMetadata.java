package io.bpfstore.store.build;

import io.bpfstore.bytecode.helpers.Helper;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.ProgramTypes;
import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.store.manifest.Hook;
import io.bpfstore.store.manifest.PackageManifest;
import io.bpfstore.store.manifest.ProgramKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The documents that describe a package in its config labels, built from the manifest and the object:
 * {@code io.bpfstore.package} (everything), {@code io.ebpf.programs} and {@code io.ebpf.maps} (bpfman's view).
 * Values are ordered maps, so serialising them always gives the same bytes.
 *
 * <p>Naming: {@code programs[].type} and {@code io.ebpf.programs} use bpfman's spelling ({@link ProgramKind});
 * {@code requirements.program_types} uses the kernel's program type names as bpftool prints them, because
 * requirements are checked against a kernel; attach types are libbpf's names, map types bpftool's, helpers the
 * helper catalog's ({@code helper#N} for ids it does not know).
 */
public final class PackageMetadata {
    /** Label holding the full bpfstore metadata. */
    public static final String PACKAGE_LABEL = "io.bpfstore.package";
    /** Label mapping program names to program types (bpfman's convention). */
    public static final String PROGRAMS_LABEL = "io.ebpf.programs";
    /** Key of the package label holding the manifest's program types by program name (bpftool's names). */
    public static final String PROGRAM_TYPES = "program_types";
    /** Label mapping map names to map types (bpfman's convention). */
    public static final String MAPS_LABEL = "io.ebpf.maps";

    private PackageMetadata() {
    }

    /** The {@code io.bpfstore.package} document. */
    public static Map<String, Object> of(PackageManifest manifest, List<Hook> hooks, BpfObject object,
                                         String objectFile) {
        HelperCatalog catalog = HelperCatalog.bundled();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", manifest.name());
        doc.put("namespace", manifest.namespace());
        doc.put("version", manifest.version().text());
        doc.put("description", manifest.description());
        doc.put("license", manifest.license());
        doc.put("homepage", manifest.homepage().orElse(""));
        doc.put("authors", manifest.authors());
        doc.put("permissions", manifest.permissions());
        List<Map<String, Object>> hookList = new ArrayList<>();
        for (Hook h : hooks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("program", h.program());
            m.put("priority", h.priority());
            m.put("proceed_on", h.proceedOn());
            hookList.add(m);
        }
        doc.put("hooks", hookList);
        if (!manifest.globals().isEmpty()) {
            doc.put("globals", manifest.globals());
        }
        if (!manifest.programs().isEmpty()) {
            Map<String, String> types = new LinkedHashMap<>();
            manifest.programs().forEach(p -> types.put(p.program(), p.type().bpftoolName()));
            doc.put(PROGRAM_TYPES, types);
        }

        TreeSet<String> programTypes = new TreeSet<>();
        TreeSet<String> attachTypes = new TreeSet<>();
        TreeSet<String> helpers = new TreeSet<>();
        TreeSet<String> kfuncs = new TreeSet<>();
        List<Map<String, Object>> programs = new ArrayList<>();
        for (Program p : object.programs()) {
            p.type().map(ProgramType::bpftoolName).ifPresent(programTypes::add);
            p.attachType().map(AttachType::libbpfName).ifPresent(attachTypes::add);
            List<String> used = p.helperIds().stream().map(id -> helperName(catalog, id)).toList();
            helpers.addAll(used);
            kfuncs.addAll(p.kfuncs());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("section", p.section());
            m.put("type", ProgramKind.of(p));
            m.put("attach_type", p.attachType().map(AttachType::libbpfName).orElse(null));
            m.put("instructions", p.totalSlots());
            m.put("helpers", used);
            m.put("kfuncs", p.kfuncs());
            programs.add(m);
        }
        TreeSet<String> mapTypes = new TreeSet<>();
        List<Map<String, Object>> maps = new ArrayList<>();
        for (MapDefinition d : object.maps()) {
            mapTypes.add(mapTypeName(d.type()));
            maps.add(mapEntry(d));
        }
        Map<String, Object> requirements = new LinkedHashMap<>();
        requirements.put("program_types", List.copyOf(programTypes));
        requirements.put("map_types", List.copyOf(mapTypes));
        requirements.put("helpers", List.copyOf(helpers));
        requirements.put("kfuncs", List.copyOf(kfuncs));
        requirements.put("attach_types", List.copyOf(attachTypes));
        requirements.put("btf", object.btf().isPresent());
        doc.put("requirements", requirements);
        doc.put("programs", programs);
        doc.put("maps", maps);
        doc.put("object", objectFile);
        return doc;
    }

    /**
     * The program types the manifest gave ({@code programs: NAME: type:}) as the label records them, for the
     * layer's object whose sections name none: every reader of a package's object applies them
     * ({@code object = programTypes(label).applyTo(object)}). Empty for a package that gave none.
     *
     * @throws IllegalArgumentException naming the entry that is not a program type name or not text
     */
    public static ProgramTypes programTypes(JsonNode label) {
        JsonNode node = label.path(PROGRAM_TYPES);
        if (node.isMissingNode()) {
            return ProgramTypes.NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("label " + PROGRAM_TYPES + " is not a mapping");
        }
        Map<String, ProgramType> byProgram = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("label " + PROGRAM_TYPES + "." + e.getKey() + " is not text");
            }
            try {
                byProgram.put(e.getKey(), ProgramTypes.named(e.getValue().asText()));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("label " + PROGRAM_TYPES + "." + e.getKey() + ": "
                        + bad.getMessage(), bad);
            }
        }
        return new ProgramTypes(java.util.Optional.empty(), byProgram);
    }

    /** The {@code io.ebpf.programs} document: program name → bpfman program type. */
    public static Map<String, String> programs(BpfObject object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Program p : object.programs()) {
            out.put(p.name(), ProgramKind.of(p));
        }
        return out;
    }

    /** The {@code io.ebpf.maps} document: map name → bpftool map type. */
    public static Map<String, String> maps(BpfObject object) {
        Map<String, String> out = new LinkedHashMap<>();
        for (MapDefinition d : object.maps()) {
            out.put(d.name(), mapTypeName(d.type()));
        }
        return out;
    }

    /**
     * One map as the package document and {@code bpfstore inspect -o json} list it: name, bpftool type name, key and
     * value size, max_entries, flags (a mutable map, in that order, that a caller may add fields to).
     */
    public static Map<String, Object> mapEntry(MapDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("type", mapTypeName(d.type()));
        m.put("key_size", d.keySize());
        m.put("value_size", d.valueSize());
        m.put("max_entries", d.maxEntries());
        m.put("flags", d.flags());
        return m;
    }

    private static String helperName(HelperCatalog catalog, int id) {
        return catalog.byId(id).map(Helper::name).orElse("helper#" + id);
    }

    private static String mapTypeName(int type) {
        return MapType.fromNumber(type).map(MapType::bpftoolName).orElse("type#" + type);
    }
}
