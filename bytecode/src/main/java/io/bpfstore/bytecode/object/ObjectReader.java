package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.asm.CallKfunc;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.InstructionCodec;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfExt;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.elf.ElfFile;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.elf.Symbol;
import io.bpfstore.bytecode.sections.SectionNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Builds a {@link BpfObject} from a validated ELF file, following libbpf's reading of objects. */
final class ObjectReader {
    /** The section of subprograms shared by all programs. */
    static final String TEXT = ".text";
    private static final String MAPS = ".maps";
    private static final String LEGACY_MAPS = MapDefinition.LEGACY_SECTION;
    /** {@code BPF_MAP_TYPE_ARRAY}: the type of global-data maps. */
    private static final int MAP_TYPE_ARRAY = 2;
    private static final long BPF_F_RDONLY_PROG = 1 << 7;
    private static final long BPF_F_MMAPABLE = 1 << 10;

    private final ElfFile elf;
    private final String name;
    /** Functions per executable section index, ordered by offset. */
    private final Map<Integer, List<Function>> functionsBySection = new LinkedHashMap<>();
    /** Names already given to programs named after their section. */
    private final Set<String> sectionProgramNames = new java.util.HashSet<>();
    /** The kernel's limit on object names (BPF_OBJ_NAME_LEN less the terminating zero). */
    private static final int NAME_MAX = 15;

    private final String sha1;
    private final String sha256;

    ObjectReader(ElfFile elf, String name, String sha1, String sha256) {
        this.elf = elf;
        this.name = name;
        this.sha1 = sha1;
        this.sha256 = sha256;
    }

    BpfObject read() {
        Optional<Btf> btf = elf.section(".BTF").map(s -> Btf.parse(s.bytes(), elf.order()));
        Optional<BtfExt> btfExt = elf.section(".BTF.ext").map(s -> {
            if (btf.isEmpty()) {
                throw new MalformedObjectException(".BTF.ext", 0, "present without a .BTF section");
            }
            return BtfExt.parse(s.bytes(), elf.order(), btf.get());
        });
        for (Section s : elf.sections()) {
            if (s.isExecutable() && s.size() > 0) {
                functionsBySection.put(s.index(), readFunctions(s));
            }
        }
        List<Program> programs = new ArrayList<>();
        List<Function> all = new ArrayList<>();
        functionsBySection.forEach((index, functions) -> {
            all.addAll(functions);
            if (!elf.section(index).name().equals(TEXT)) {
                for (Function f : functions) {
                    String section = f.section();
                    programs.add(new Program(f,
                            SectionNames.lookup(section).or(() -> SectionNames.lookupLegacy(section)),
                            subprogramsOf(f)));
                }
            }
        });
        List<MapDefinition> maps = new ArrayList<>();
        btf.ifPresent(b -> maps.addAll(new BtfMapReader(b).read()));
        elf.section(LEGACY_MAPS).ifPresent(s -> maps.addAll(new LegacyMapReader(elf, s).read()));
        List<GlobalData> globalData = globalData();
        for (GlobalData g : globalData) {
            int datasecId = btf.flatMap(b -> b.find(g.section(), BtfType.Datasec.class)).map(BtfType::id).orElse(0);
            long flags = (g.readOnly() ? BPF_F_RDONLY_PROG : 0) | BPF_F_MMAPABLE;
            maps.add(new MapDefinition(internalMapName(name, g.section()), g.section(), MAP_TYPE_ARRAY, 4, g.size(), 1, flags, 0, 0,
                    datasecId, Optional.empty()));
        }
        return new BpfObject(name, sha1, sha256, elf, btf, btfExt, license(), kernelVersion(), programs, all, maps,
                globalData);
    }

    private String license() {
        return elf.section("license").map(s -> {
            byte[] b = s.bytes();
            int end = 0;
            while (end < b.length && b[end] != 0) {
                end++;
            }
            return new String(b, 0, end, java.nio.charset.StandardCharsets.UTF_8);
        }).orElse("");
    }

    private OptionalLong kernelVersion() {
        return elf.section("version").filter(s -> s.size() >= 4)
                .map(s -> OptionalLong.of(s.contents().u32(0))).orElse(OptionalLong.empty());
    }

    /** Splits an executable section into functions by its FUNC symbols; one function if it has none. */
    private List<Function> readFunctions(Section section) {
        if (section.size() % InstructionCodec.SLOT_SIZE != 0) {
            throw new MalformedObjectException(section.name(), section.size(),
                    "code size " + section.size() + " is not a multiple of 8");
        }
        List<InstructionAt> code = InstructionCodec.decode(section.bytes(), elf.order(), section.name());
        List<Symbol> symbols = elf.symbols().stream()
                .filter(s -> s.sectionIndex() == section.index() && s.type() == Symbol.STT_FUNC)
                .sorted(Comparator.comparingLong(Symbol::value)).toList();
        record Span(String name, long start, long end, boolean global) {
        }
        List<Span> spans = new ArrayList<>();
        if (symbols.isEmpty()) {
            // Old toolchains: no function symbols, the section is the program, named after it.
            spans.add(new Span(sectionProgramName(section.name()), 0, section.size(), true));
        }
        for (int i = 0; i < symbols.size(); i++) {
            Symbol s = symbols.get(i);
            long end = s.size() > 0 ? s.value() + s.size()
                    : i + 1 < symbols.size() ? symbols.get(i + 1).value() : section.size();
            if (s.value() < 0 || s.value() % 8 != 0 || end > section.size() || end <= s.value()) {
                throw new MalformedObjectException(section.name(), s.value(),
                        "function " + s.name() + " [" + s.value() + ", " + end + ") is not 8-byte aligned code inside "
                                + "the section (" + section.size() + " bytes)");
            }
            if (!spans.isEmpty() && spans.getLast().end() > s.value()) {
                throw new MalformedObjectException(section.name(), s.value(),
                        "function " + s.name() + " overlaps function " + spans.getLast().name());
            }
            spans.add(new Span(s.name(), s.value(), end, s.binding() != Symbol.STB_LOCAL));
        }
        List<Function> functions = new ArrayList<>(spans.size());
        for (Span span : spans) {
            int first = (int) (span.start() / 8);
            int last = (int) (span.end() / 8);
            List<InstructionAt> own = new ArrayList<>();
            for (InstructionAt at : code) {
                if (at.slot() >= first && at.slot() < last) {
                    if (at.slot() + at.instruction().slots() > last) {
                        throw new MalformedObjectException(section.name(), at.byteOffset(),
                                "64-bit load crosses the end of function " + span.name());
                    }
                    own.add(new InstructionAt(at.slot() - first, at.instruction()));
                }
            }
            functions.add(new Function(span.name(), section.name(), span.start(), own,
                    relocations(section, span.start(), span.end(), own), span.global()));
        }
        return List.copyOf(functions);
    }

    /**
     * The name of a program that has no function symbol: its section's name made into one the kernel accepts
     * (letters, digits, {@code _} and {@code .}; 15 characters), as {@code bpftool prog} will show it. Sections whose
     * names meet in that form get {@code _2}, {@code _3}... in the last characters.
     */
    private String sectionProgramName(String section) {
        StringBuilder b = new StringBuilder();
        for (char c : section.toCharArray()) {
            b.append(c < 128 && Character.isLetterOrDigit(c) || c == '_' || c == '.' ? c : '_');
        }
        String base = b.length() > NAME_MAX ? b.substring(0, NAME_MAX) : b.toString();
        String name = base;
        for (int n = 2; !sectionProgramNames.add(name); n++) {
            String suffix = "_" + n;
            name = base.substring(0, Math.min(base.length(), NAME_MAX - suffix.length())) + suffix;
        }
        return name;
    }

    private List<Relocation> relocations(Section section, long start, long end, List<InstructionAt> code) {
        Map<Integer, InstructionAt> bySlot = new java.util.HashMap<>();
        code.forEach(at -> bySlot.put(at.slot(), at));
        List<Relocation> out = new ArrayList<>();
        for (io.bpfstore.bytecode.elf.Relocation r : elf.relocations(section.index())) {
            if (r.offset() < start || r.offset() >= end) {
                continue;
            }
            String where = ".rel" + section.name();
            if (r.offset() % 8 != 0) {
                throw new MalformedObjectException(where, MalformedObjectException.NO_OFFSET,
                        "relocation at byte " + r.offset() + " of " + section.name() + " is not on an instruction");
            }
            int slot = (int) ((r.offset() - start) / 8);
            InstructionAt at = bySlot.get(slot);
            if (at == null) {
                throw new MalformedObjectException(where, MalformedObjectException.NO_OFFSET,
                        "relocation at byte " + r.offset() + " of " + section.name()
                                + " points into the middle of a 64-bit load");
            }
            Symbol symbol = elf.symbols().get(r.symbolIndex());
            String symbolName = symbol.type() == Symbol.STT_SECTION && symbol.isDefined()
                    ? elf.section(symbol.sectionIndex()).name() : symbol.name();
            long imm = switch (at.instruction()) {
                case LoadImm64 l -> l.imm();
                case CallLocal c -> c.offset();
                case CallKfunc k -> 0;
                default -> throw new MalformedObjectException(where, MalformedObjectException.NO_OFFSET,
                        "relocation against " + symbolName + " at byte " + r.offset() + " of " + section.name()
                                + " applies to an instruction that takes none: " + at.instruction());
            };
            if (!symbol.isDefined()) {
                out.add(new Relocation(slot, Relocation.Kind.EXTERN, symbolName, "", 0));
                continue;
            }
            Section target = elf.section(symbol.sectionIndex());
            Relocation.Kind kind;
            long offset;
            if (target.isExecutable()) {
                kind = Relocation.Kind.SUBPROGRAM;
                // A call's immediate counts slots from the next instruction; a function address's counts bytes.
                offset = at.instruction() instanceof CallLocal ? symbol.value() + (imm + 1) * 8 : symbol.value() + imm;
            } else if (target.name().equals(MAPS) || target.name().equals(LEGACY_MAPS)) {
                kind = Relocation.Kind.MAP;
                offset = symbol.value() + imm;
            } else if (isGlobalData(target)) {
                kind = Relocation.Kind.GLOBAL_DATA;
                offset = symbol.value() + imm;
            } else {
                throw new MalformedObjectException(where, MalformedObjectException.NO_OFFSET,
                        "relocation at byte " + r.offset() + " of " + section.name() + " refers to " + symbolName
                                + " in section " + target.name() + ", which is neither code, maps nor data");
            }
            out.add(new Relocation(slot, kind, symbolName, target.name(), offset));
        }
        return out;
    }

    /** libbpf's rule: {@code .data}, {@code .rodata} and (NOBITS) {@code .bss}, alone or with a dotted suffix. */
    private static boolean isGlobalData(Section s) {
        if (s.isExecutable()) {
            return false;
        }
        String n = s.name();
        return s.type() == Section.SHT_NOBITS ? named(n, ".bss") : named(n, ".data") || named(n, ".rodata");
    }

    private static boolean named(String name, String base) {
        return name.equals(base) || name.startsWith(base + ".");
    }

    /**
     * libbpf's name of the map made of a global-data section: as much of the object name as fits in front of
     * the section name within the kernel's 15 characters, always reserving 7 for the section name; custom
     * sections ({@code .rodata.foo}) get no prefix. Characters the kernel refuses become '_'.
     */
    static String internalMapName(String objectName, String section) {
        int max = 15;
        int suffix = Math.min(Math.max(7, section.length()), max);
        int prefix = section.indexOf('.', 1) >= 0 ? 0 : Math.min(max - suffix, objectName.length());
        prefix = Math.max(prefix, 0);
        String joined = objectName.substring(0, prefix) + section.substring(0, Math.min(suffix, section.length()));
        joined = joined.substring(0, Math.min(joined.length(), max));
        StringBuilder b = new StringBuilder(joined.length());
        for (char c : joined.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '.' ? c : '_');
        }
        return b.toString();
    }

    private List<GlobalData> globalData() {
        List<GlobalData> out = new ArrayList<>();
        for (Section s : elf.sections()) {
            if (isGlobalData(s) && s.size() > 0) {
                out.add(new GlobalData(s.name(), s.size(), s.name().startsWith(".rodata"),
                        s.type() == Section.SHT_NOBITS));
            }
        }
        return out;
    }

    /** The functions {@code entry} reaches through calls and function addresses, transitively. */
    private List<Function> subprogramsOf(Function entry) {
        Set<Function> seen = new LinkedHashSet<>();
        Deque<Function> work = new ArrayDeque<>();
        work.add(entry);
        while (!work.isEmpty()) {
            Function f = work.poll();
            Map<Integer, Relocation> relocationBySlot = new java.util.HashMap<>();
            f.relocations().forEach(r -> relocationBySlot.putIfAbsent(r.instruction(), r));
            for (InstructionAt at : f.instructions()) {
                Optional<Relocation> reloc = Optional.ofNullable(relocationBySlot.get(at.slot()));
                Optional<Function> callee = Optional.empty();
                if (reloc.isPresent() && reloc.get().kind() == Relocation.Kind.SUBPROGRAM) {
                    callee = Optional.of(functionAt(reloc.get().section(), reloc.get().offset(), f, at));
                } else if (reloc.isEmpty() && at.instruction() instanceof CallLocal c) {
                    callee = Optional.of(functionAt(f.section(), f.offset() + c.target(at.slot()) * 8, f, at));
                } else if (reloc.isEmpty() && at.instruction() instanceof LoadImm64 l && l.pseudo() == Pseudo.FUNC) {
                    callee = Optional.of(functionAt(f.section(), f.offset() + (at.slot() + 1L + l.imm()) * 8, f, at));
                }
                callee.filter(c -> c != entry && seen.add(c)).ifPresent(work::add);
            }
        }
        return List.copyOf(seen);
    }

    private Function functionAt(String section, long offset, Function caller, InstructionAt at) {
        for (Map.Entry<Integer, List<Function>> e : functionsBySection.entrySet()) {
            if (!elf.section(e.getKey()).name().equals(section)) {
                continue;
            }
            for (Function f : e.getValue()) {
                if (f.offset() == offset) {
                    return f;
                }
            }
        }
        throw new MalformedObjectException(caller.section(), caller.offset() + at.byteOffset(),
                caller.name() + " calls byte " + offset + " of " + section + ", which is not the start of a function");
    }
}
