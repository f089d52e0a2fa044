package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.SectionDefinition;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.BtfHandle;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.probe.FeatureProbe;
import io.bpfstore.kernel.probe.Support;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Loads an eBPF object into the running kernel without libbpf, doing what libbpf's {@code bpf_object__load} does:
 * loads the object's BTF (DATASEC sizes and offsets fixed up), creates the maps (global data filled, .rodata
 * frozen, pinned-by-name maps reused or pinned), links each program (subprograms appended in libbpf's order,
 * calls, map, global-data, kfunc and CO-RE relocations applied, func/line info rebased) and loads it, and fills
 * statically initialised program arrays.
 *
 * <pre>{@code
 * try (LoadedObject loaded = Loader.load(BpfObject.read(path), LoadOptions.defaults())) {
 *     BpfProgram xdp = loaded.program("xdp_count");
 * }
 * }</pre>
 */
public final class Loader {
    private static final int SLEEPABLE = 1 << 4;
    private static final int XDP_HAS_FRAGS = 1 << 5;
    private static final int ARRAY = 2;
    private static final int EINVAL = 22;
    private static final int RDONLY_PROG = 0x80;
    private static final int MMAPABLE = 0x400;

    private Loader() {
    }

    /**
     * Loads {@code object}.
     *
     * @throws ProgramRejectedException if the kernel refuses a program (unless {@link LoadOptions#keepGoing()})
     * @throws LoadException            if the object needs something this kernel lacks or cannot be prepared
     */
    public static LoadedObject load(BpfObject object, LoadOptions options) {
        check(object);
        Supplier<Btf> kernelBtf = memoize(() -> KernelBtf.at(options.kernelBtf(), "load object " + object.name()));
        Optional<BtfHandle> btf = loadBtf(object);
        Map<String, BpfMap> maps = new LinkedHashMap<>();
        Map<String, BpfProgram> programs = new LinkedHashMap<>();
        Map<String, RuntimeException> rejections = new LinkedHashMap<>();
        try {
            MapCreator creator = new MapCreator(object, btf, options);
            for (MapDefinition def : object.maps()) {
                maps.put(def.name(), creator.create(def));
            }
            Map<String, Integer> dataFds = new LinkedHashMap<>();
            for (MapDefinition def : object.maps()) {
                if (!def.section().equals(".maps") && !def.section().equals("maps")) {
                    dataFds.put(def.section(), maps.get(def.name()).fd().value());
                }
            }
            List<KconfigExterns.Extern> kconfig = KconfigExterns.layout(object);
            Map<String, Integer> kconfigOffsets = new LinkedHashMap<>();
            if (!kconfig.isEmpty()) {
                String name = KconfigExterns.mapName(object.name());
                MapDefinition def = new MapDefinition(name, KconfigExterns.SECTION, ARRAY, 4,
                        KconfigExterns.size(kconfig), 1, RDONLY_PROG | MMAPABLE, 0, 0, 0, Optional.empty());
                BpfMap map = creator.createKconfig(def, KconfigExterns.values(object, kconfig));
                maps.put(name, map);
                dataFds.put(KconfigExterns.SECTION, map.fd().value());
                kconfig.forEach(e -> kconfigOffsets.put(e.var().name(), e.offset()));
            }
            ProgramLinker.Resolver resolver = new ProgramLinker.Resolver() {
                @Override
                public int mapFd(String name) {
                    BpfMap m = maps.get(name);
                    if (m == null) {
                        throw new LoadException("object " + object.name() + ": no map named " + name);
                    }
                    return m.fd().value();
                }

                @Override
                public OptionalInt kconfigOffset(String name) {
                    Integer off = kconfigOffsets.get(name);
                    return off == null ? OptionalInt.empty() : OptionalInt.of(off);
                }

                @Override
                public int dataFd(String section) {
                    Integer fd = dataFds.get(section);
                    if (fd == null) {
                        throw new LoadException("object " + object.name() + ": no map for global data in " + section);
                    }
                    return fd;
                }
            };
            Optional<CoreRelocator> core = object.btf().map(b -> new CoreRelocator(b, kernelBtf));
            ProgramLinker linker = new ProgramLinker(object, ExtInfo.read(object), core, kernelBtf, resolver);
            for (Program program : object.programs()) {
                try {
                    programs.put(program.name(), loadProgram(object, program, linker, btf, kernelBtf));
                } catch (ProgramRejectedException | LoadException e) {
                    if (!options.keepGoing()) {
                        throw e;
                    }
                    rejections.put(program.name(), e);
                }
            }
            ProgramArrays.fill(object, maps, programs);
            return new LoadedObject(object.name(), btf, maps, programs, rejections);
        } catch (RuntimeException e) {
            programs.values().forEach(BpfProgram::close);
            maps.values().forEach(BpfMap::close);
            btf.ifPresent(BtfHandle::close);
            throw e;
        }
    }

    /** Refuses what libbpf 1.x refuses before touching the kernel. */
    private static void check(BpfObject object) {
        if (object.order() != ByteOrder.nativeOrder()) {
            throw new LoadException("load object " + object.name() + ": endianness mismatch: the object is "
                    + (object.order() == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian, this host is not");
        }
        for (MapDefinition def : object.maps()) {
            if (def.section().equals("maps")) {
                throw new LoadException("load object " + object.name() + ": map \"" + def.name()
                        + "\" uses a legacy struct bpf_map_def in the 'maps' section, which libbpf 1.0 and bpfstore"
                        + " no longer support; declare it in SEC(\".maps\") with __uint/__type");
            }
            if (def.section().equals(".maps") && object.btf().isEmpty()) {
                throw new LoadException("load object " + object.name() + ": map \"" + def.name()
                        + "\" is defined in .maps, which needs BTF: the object was built without -g");
            }
        }
        for (Program p : object.programs()) {
            if (p.definition().isEmpty()) {
                throw new LoadException("load program \"" + p.name() + "\": section " + p.section()
                        + " names no program type libbpf knows");
            }
        }
    }

    private static Optional<BtfHandle> loadBtf(BpfObject object) {
        Optional<byte[]> raw = ObjectBtf.sanitised(object);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(BtfHandle.load(raw.get()));
        } catch (BpfException e) {
            String log = e.verifierLog().strip();
            String last = log.isEmpty() ? e.summary() : log.lines().reduce((a, b) -> b).orElse("");
            throw new LoadException("load BTF of object " + object.name() + ": the kernel refused it: " + last, e);
        }
    }

    private static BpfProgram loadProgram(BpfObject object, Program program, ProgramLinker linker,
                                          Optional<BtfHandle> btf, Supplier<Btf> kernelBtf) {
        SectionDefinition def = program.definition().orElseThrow();
        int type = def.programType().number();
        String typeName = ProgramType.nameOf(type);
        String what = "load program \"" + program.name() + "\" (" + typeName + ")";
        int flags = (def.traits().contains(SectionDefinition.Trait.SLEEPABLE) ? SLEEPABLE : 0)
                | (def.traits().contains(SectionDefinition.Trait.XDP_FRAGS) ? XDP_HAS_FRAGS : 0);
        int attachBtfId = def.traits().contains(SectionDefinition.Trait.ATTACH_BTF)
                ? attachBtfId(program, def, kernelBtf.get(), what) : 0;
        ProgramLinker.Linked linked = linker.link(program, what);
        ProgramLoad load = new ProgramLoad(program.name(), type, typeName,
                def.expectedAttachType().map(t -> t.number()).orElse(-1), flags, object.license(),
                (int) object.kernelVersion().orElse(0), btf.map(b -> b.fd().value()).orElse(-1), attachBtfId);
        try {
            return load.load(linked);
        } catch (ProgramRejectedException e) {
            // EINVAL without a word from the verifier: ask whether this kernel has the program type at all
            if (e.errnoNumber() == EINVAL && e.verifierLog().isBlank()) {
                Optional<ProgramType> known = ProgramType.fromNumber(type);
                if (known.isPresent() && FeatureProbe.programType(known.get()).support() == Support.UNSUPPORTED) {
                    throw new LoadException(what + ": this kernel does not support program type " + typeName, e);
                }
            }
            throw e;
        }
    }

    /** The kernel BTF id of the function or tracepoint a BTF-attached program is verified against. */
    private static int attachBtfId(Program program, SectionDefinition def, Btf kernel, String what) {
        String target = program.attachTarget().orElseThrow(() ->
                new LoadException(what + ": section " + program.section() + " names no attach target"));
        String section = program.section();
        Optional<? extends BtfType> found;
        if (section.startsWith("tp_btf")) {
            found = kernel.find("btf_trace_" + target, BtfType.Typedef.class);
        } else if (section.startsWith("lsm")) {
            found = kernel.find("bpf_lsm_" + target, BtfType.Func.class);
        } else if (section.startsWith("iter")) {
            found = kernel.find("bpf_iter_" + target, BtfType.Func.class);
        } else if (section.startsWith("freplace")) {
            throw new LoadException(what + ": freplace programs need a target program, which bpfstore load does not take");
        } else {
            found = kernel.find(target, BtfType.Func.class);
        }
        return found.map(BtfType::id).orElseThrow(() ->
                new LoadException(what + ": attach target " + target + " is not in this kernel's BTF"));
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }
}
