package io.bpfstore.vm.load;

import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.InstructionAt;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.GlobalData;
import io.bpfstore.bytecode.object.InitialSlots;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.Relocation;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.vm.Code;
import io.bpfstore.vm.helpers.Environment;
import io.bpfstore.vm.maps.ArrayMap;
import io.bpfstore.vm.maps.EventOutput;
import io.bpfstore.vm.maps.HashTable;
import io.bpfstore.vm.maps.LpmTrie;
import io.bpfstore.vm.maps.ProgramArray;
import io.bpfstore.vm.maps.RedirectMap;
import io.bpfstore.vm.maps.VmMap;
import io.bpfstore.vm.memory.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An object loaded into the VM: its maps in an {@link Environment} and its programs linked to {@link Code}. */
public final class VmObject {
    private final BpfObject object;
    private final Environment env;
    private final Map<String, Integer> mapIndex = new LinkedHashMap<>();
    private final Map<String, Code> programs = new LinkedHashMap<>();
    /** Where each program's functions start in its linked code, for source lines of faults. */
    private final Map<String, Map<Function, Integer>> layouts = new LinkedHashMap<>();

    private VmObject(BpfObject object, Environment env) {
        this.object = object;
        this.env = env;
    }

    /**
     * Loads {@code object} into {@code memory}.
     *
     * @param cpus how many CPUs per-CPU maps hold values for
     * @param cpu  the CPU the run is on
     * @param seed seed of bpf_get_prandom_u32
     * @throws VmLoadException if the object uses a map type or reference the VM does not model
     */
    public static VmObject load(BpfObject object, AddressSpace memory, int cpus, int cpu, long seed) {
        List<VmMap> maps = new ArrayList<>();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (MapDefinition def : object.maps()) {
            index.put(def.name(), maps.size());
            maps.add(create(def, cpus, cpu));
        }
        for (GlobalData data : object.globalData()) {
            // The object model lists global data as internal maps too (named as the kernel names them, e.g.
            // "global_d.rodata"); use that map, so that dumps show one map under the kernel's name.
            Integer internal = object.maps().stream().filter(d -> d.section().equals(data.section())).findFirst()
                    .map(d -> index.get(d.name())).orElse(null);
            if (internal != null && maps.get(internal) instanceof ArrayMap) {
                index.put(data.section(), internal);
            } else {
                index.put(data.section(), maps.size());
                maps.add(new ArrayMap(data.section(), (int) data.size(), 1, 1, 0));
            }
        }
        VmObject loaded = new VmObject(object, new Environment(memory, maps, seed));
        loaded.mapIndex.putAll(index);
        for (GlobalData data : object.globalData()) {
            if (!data.zeroed()) {
                Section section = object.elf().section(data.section()).orElseThrow();
                ((ArrayMap) maps.get(index.get(data.section()))).update(new byte[4], section.bytes(), VmMap.BPF_ANY);
            }
        }
        for (Program program : object.programs()) {
            loaded.programs.put(program.name(), loaded.link(program));
        }
        for (InitialSlots.Slot slot : InitialSlots.of(object)) {
            Integer outer = index.get(slot.map());
            Code target = loaded.programs.get(slot.target());
            if (outer != null && target != null && maps.get(outer) instanceof ProgramArray array) {
                array.set(slot.index(), target);
            }
        }
        return loaded;
    }

    private static VmMap create(MapDefinition def, int cpus, int cpu) {
        MapType type = MapType.fromNumber(def.type()).orElseThrow(() -> new VmLoadException("map " + def.name()
                + " has unknown map type " + def.type()));
        int key = (int) def.keySize();
        int value = (int) def.valueSize();
        int max = (int) Math.min(def.maxEntries(), 1 << 20);
        return switch (type) {
            case ARRAY -> new ArrayMap(def.name(), value, max, 1, 0);
            case PERCPU_ARRAY -> new ArrayMap(def.name(), value, max, cpus, cpu);
            case HASH -> new HashTable(def.name(), key, value, max, 1, 0, false);
            case PERCPU_HASH -> new HashTable(def.name(), key, value, max, cpus, cpu, false);
            case LRU_HASH -> new HashTable(def.name(), key, value, max, 1, 0, true);
            case LRU_PERCPU_HASH -> new HashTable(def.name(), key, value, max, cpus, cpu, true);
            case LPM_TRIE -> new LpmTrie(def.name(), key, value, max);
            case PROG_ARRAY -> new ProgramArray(def.name(), max);
            case DEVMAP, DEVMAP_HASH, CPUMAP, XSKMAP -> new RedirectMap(def.name(), type.toString().toLowerCase(java.util.Locale.ROOT));
            case RINGBUF -> new EventOutput(def.name(), def.maxEntries());
            case PERF_EVENT_ARRAY -> new EventOutput(def.name(), Long.MAX_VALUE);
            default -> throw new VmLoadException("map " + def.name() + " is a " + type
                    + " map, which the VM does not model");
        };
    }

    /** Lays out {@code program}'s functions (entry first, callees after) and resolves every reference. */
    private Code link(Program program) {
        List<Function> functions = program.functions();
        Map<Function, Integer> base = new IdentityHashMap<>();
        int total = 0;
        for (Function f : functions) {
            base.put(f, total);
            total += f.slots();
        }
        Instruction[] slots = new Instruction[total];
        layouts.put(program.name(), base);
        // Callbacks are addressed as code base + slot; the region is empty, so reading code as data faults.
        long codeBase = env.memory().map(new io.bpfstore.vm.memory.Region("code of " + program.name(), new byte[0], false));
        for (Function f : functions) {
            int start = base.get(f);
            Map<Integer, Relocation> relocations = new java.util.HashMap<>();
            f.relocations().forEach(r -> relocations.put(r.instruction(), r));
            for (InstructionAt at : f.instructions()) {
                Instruction i = at.instruction();
                Relocation r = relocations.get(at.slot());
                if (i instanceof LoadImm64 load && r != null && r.kind() == Relocation.Kind.SUBPROGRAM) {
                    i = LoadImm64.of(load.dst(), codeBase + base.get(functionAt(functions, r.section(), r.offset(), program, f)));
                } else if (i instanceof LoadImm64 load && r != null) {
                    i = resolve(program, f, load, r);
                } else if (i instanceof CallLocal call) {
                    Function callee = r != null
                            ? functionAt(functions, r.section(), r.offset(), program, f)
                            : functionAt(functions, f.section(), f.offset() + (at.slot() + 1L + call.offset()) * 8, program, f);
                    i = new CallLocal(base.get(callee) - (start + at.slot()) - 1);
                } else if (r != null && r.kind() == Relocation.Kind.EXTERN) {
                    throw new VmLoadException(program.name() + ": " + f.name() + " calls kfunc " + r.symbol()
                            + ", which the VM does not model");
                }
                slots[start + at.slot()] = i;
            }
        }
        return new Code(program.name(), slots, codeBase);
    }

    private Instruction resolve(Program program, Function f, LoadImm64 load, Relocation r) {
        return switch (r.kind()) {
            case MAP -> LoadImm64.of(load.dst(), env.handle(mapIndex(r.symbol(), program)));
            case GLOBAL_DATA -> {
                VmMap.KeyValue data = (VmMap.KeyValue) env.maps().get(mapIndex(r.section(), program));
                yield LoadImm64.of(load.dst(), data.lookup(new byte[4]) + r.offset());
            }
            case SUBPROGRAM -> throw new IllegalStateException("callbacks are resolved in link");
            case EXTERN -> throw new VmLoadException(program.name() + ": " + f.name() + " refers to kernel symbol "
                    + r.symbol() + ", which the VM does not model");
        };
    }

    private int mapIndex(String name, Program program) {
        Integer i = mapIndex.get(name);
        if (i == null) {
            throw new VmLoadException(program.name() + " refers to map " + name + ", which the object does not define");
        }
        return i;
    }

    private static Function functionAt(List<Function> functions, String section, long offset, Program program, Function caller) {
        for (Function f : functions) {
            if (f.section().equals(section) && f.offset() == offset) {
                return f;
            }
        }
        throw new VmLoadException(program.name() + ": " + caller.name() + " calls byte " + offset + " of " + section
                + ", which starts no function of the program");
    }

    /**
     * The source line of slot {@code slot} of linked program {@code program}, from the object's BTF line info, as
     * {@code file:line: source text}; empty when the object has no line info.
     */
    public Optional<String> sourceLine(String program, int slot) {
        Map<Function, Integer> layout = layouts.get(program);
        if (layout == null || object.btfExt().isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<Function, Integer> e : layout.entrySet()) {
            Function f = e.getKey();
            int start = e.getValue();
            if (slot >= start && slot < start + f.slots()) {
                return object.btfExt().get().lineAt(f.section(), f.offset() / 8 + (slot - start))
                        .map(l -> java.nio.file.Path.of(l.fileName()).getFileName() + ":" + l.line() + ": "
                                + l.source().strip());
            }
        }
        return Optional.empty();
    }

    /** The environment: maps, clock, packet. */
    public Environment environment() {
        return env;
    }

    /** The linked program named {@code name}. */
    public Optional<Code> program(String name) {
        return Optional.ofNullable(programs.get(name));
    }

    /** Every linked program, by name. */
    public Map<String, Code> programs() {
        return Map.copyOf(programs);
    }

    /** The object. */
    public BpfObject object() {
        return object;
    }

    /** A little-endian u32 key, for array maps. */
    public static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
