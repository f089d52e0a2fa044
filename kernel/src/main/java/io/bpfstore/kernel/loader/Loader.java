package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.sys.ProgLoadAttr;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.bytecode.sections.SectionDefinition;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.BtfHandle;
import io.bpfstore.kernel.probe.FeatureProbe;
import io.bpfstore.kernel.probe.Support;
import io.bpfstore.kernel.sys.Errno;
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
    private static final int ARRAY = 2;
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
        checkExistingNames(object, options);
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
            List<KconfigExterns.Extern> kconfig = KconfigExterns.layout(object);
            if (!kconfig.isEmpty()) {
                MapDefinition def = kconfigDefinition(object, kconfig);
                maps.put(def.name(), creator.createKconfig(def, KconfigExterns.values(object, kconfig)));
            }
            IprouteMaps.insertInner(object, maps);
            ProgramLinker linker = linker(object, maps, kconfig, kernelBtf, "");
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

    /**
     * Links program {@code programName} of {@code object} without loading anything: every map it uses must be one
     * of {@link LoadOptions#existingMaps()} (checked against the object's definitions as a load would check them),
     * whose descriptors end up in the instructions. This is the loader's relocation, shared with
     * {@link #load(BpfObject, LoadOptions)}, for callers that put programs together (the XDP dispatcher).
     *
     * @throws LoadException if the object or program cannot be linked, or a map it uses was not given or differs
     */
    public static ProgramImage link(BpfObject object, String programName, LoadOptions options) {
        Program program = object.programs().stream().filter(p -> p.name().equals(programName)).findFirst()
                .orElseThrow(() -> new LoadException("link program \"" + programName + "\": object " + object.name()
                        + " has no such program (it has " + object.programs().stream().map(Program::name).toList() + ")"));
        check(object);
        checkExistingNames(object, options);
        Supplier<Btf> kernelBtf = memoize(() -> KernelBtf.at(options.kernelBtf(), "link object " + object.name()));
        MapCreator checker = new MapCreator(object, Optional.empty(), options);
        Map<String, BpfMap> maps = new LinkedHashMap<>();
        for (MapDefinition def : object.maps()) {
            checker.checkedExisting(def).ifPresent(m -> maps.put(def.name(), m));
        }
        List<KconfigExterns.Extern> kconfig = KconfigExterns.layout(object);
        if (!kconfig.isEmpty()) {
            MapDefinition def = kconfigDefinition(object, kconfig);
            checker.checkedExistingKconfig(def, KconfigExterns.values(object, kconfig)).ifPresent(m -> maps.put(def.name(), m));
        }
        ProgramLinker linker = linker(object, maps, kconfig, kernelBtf,
                " was given to link with (LoadOptions.withExistingMaps)");
        ProgramParameters p = parameters(object, program, kernelBtf);
        if (p.attachBtfId() != 0) {
            throw new LoadException(p.what() + ": BTF-attached programs cannot be linked into another program");
        }
        ProgramLinker.Linked linked = linker.link(program, p.what());
        return new ProgramImage(program.name(), p.type(), p.expectedAttachType(), p.flags(), object.license(),
                (int) object.kernelVersion().orElse(0), linked, new ImageBtf(ObjectBtf.sanitised(object)));
    }

    /**
     * Loads a linked image: its BTF (if it carries one) goes to the kernel for the load only.
     *
     * @throws ProgramRejectedException if the kernel refuses the program
     * @throws LoadException            if its BTF is refused
     */
    public static BpfProgram load(ProgramImage image) {
        Optional<BtfHandle> btf = Optional.empty();
        if (image.btf().raw().isPresent()) {
            try {
                btf = Optional.of(BtfHandle.load(image.btf().raw().get()));
            } catch (BpfException e) {
                throw new LoadException("load BTF of program \"" + image.name() + "\": the kernel refused it: "
                        + e.getMessage(), e);
            }
        }
        try {
            ProgramLoad load = new ProgramLoad(image.name(), image.typeNumber(), image.typeName(),
                    image.expectedAttachType(), image.flags(), image.license(), image.kernelVersion(),
                    btf.map(b -> b.fd().value()).orElse(-1), 0);
            return load.load(image.linked());
        } finally {
            btf.ifPresent(BtfHandle::close);
        }
    }

    private static MapDefinition kconfigDefinition(BpfObject object, List<KconfigExterns.Extern> kconfig) {
        return new MapDefinition(KconfigExterns.mapName(object.name()), KconfigExterns.SECTION, ARRAY, 4,
                KconfigExterns.size(kconfig), 1, RDONLY_PROG | MMAPABLE, 0, 0, 0, Optional.empty());
    }

    /** Refuses names of live maps that the object does not have: a typo must not quietly create a fresh map. */
    private static void checkExistingNames(BpfObject object, LoadOptions options) {
        for (String name : options.existingMaps().keySet()) {
            boolean kconfig = !KconfigExterns.layout(object).isEmpty()
                    && (name.equals(KconfigExterns.SECTION) || name.equals(KconfigExterns.mapName(object.name())));
            if (!kconfig && !MapCreator.names(object.maps(), name)) {
                throw new LoadException("reuse map \"" + name + "\": object " + object.name() + " has no map of that name"
                        + " (it has " + object.maps().stream().map(MapDefinition::name).toList() + ")");
            }
        }
    }

    /** A linker whose map references resolve to {@code maps}; {@code missing} ends the error for an absent one. */
    private static ProgramLinker linker(BpfObject object, Map<String, BpfMap> maps, List<KconfigExterns.Extern> kconfig,
                                        Supplier<Btf> kernelBtf, String missing) {
        Map<String, Integer> dataFds = new LinkedHashMap<>();
        for (MapDefinition def : object.maps()) {
            if (!def.section().equals(".maps") && !def.section().equals("maps") && maps.containsKey(def.name())) {
                dataFds.put(def.section(), maps.get(def.name()).fd().value());
            }
        }
        Map<String, Integer> kconfigOffsets = new LinkedHashMap<>();
        BpfMap kconfigMap = maps.get(KconfigExterns.mapName(object.name()));
        if (!kconfig.isEmpty() && kconfigMap != null) {
            dataFds.put(KconfigExterns.SECTION, kconfigMap.fd().value());
        }
        kconfig.forEach(e -> kconfigOffsets.put(e.var().name(), e.offset()));
        ProgramLinker.Resolver resolver = new ProgramLinker.Resolver() {
            @Override
            public int mapFd(String name) {
                BpfMap m = maps.get(name);
                if (m == null) {
                    throw new LoadException("object " + object.name() + ": no map named " + name + missing);
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
                    throw new LoadException("object " + object.name() + ": no map for global data in " + section + missing);
                }
                return fd;
            }
        };
        Optional<CoreRelocator> core = object.btf().map(b -> new CoreRelocator(b, kernelBtf));
        return new ProgramLinker(object, ExtInfo.read(object), core, kernelBtf, resolver);
    }

    /** Refuses what libbpf 1.x refuses before touching the kernel. */
    private static void check(BpfObject object) {
        if (object.order() != ByteOrder.nativeOrder()) {
            throw new LoadException("load object " + object.name() + ": endianness mismatch: the object is "
                    + (object.order() == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian, this host is not");
        }
        for (MapDefinition def : object.maps()) {
            if (def.section().equals(".maps") && object.btf().isEmpty()) {
                throw new LoadException("load object " + object.name() + ": map \"" + def.name()
                        + "\" is defined in .maps, which needs BTF: the object was built without -g");
            }
        }
        for (Program p : object.programs()) {
            if (p.definition().isEmpty()) {
                throw new LoadException("load program \"" + p.name() + "\": section " + p.section()
                        + " names no program type libbpf knows; give one with --type TYPE or --type " + p.name()
                        + "=TYPE");
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

    /** What BPF_PROG_LOAD needs to know about {@code program} besides its instructions. */
    private record ProgramParameters(String what, int type, int expectedAttachType, int flags, int attachBtfId) {
    }

    private static ProgramParameters parameters(BpfObject object, Program program, Supplier<Btf> kernelBtf) {
        SectionDefinition def = program.definition().orElseThrow();
        int type = def.programType().number();
        String what = "load program \"" + program.name() + "\" (" + ProgramType.nameOf(type) + ")";
        int flags = (def.traits().contains(SectionDefinition.Trait.SLEEPABLE) ? ProgLoadAttr.BPF_F_SLEEPABLE : 0)
                | (def.traits().contains(SectionDefinition.Trait.XDP_FRAGS) ? ProgLoadAttr.BPF_F_XDP_HAS_FRAGS : 0);
        int attachBtfId = def.traits().contains(SectionDefinition.Trait.ATTACH_BTF)
                ? attachBtfId(program, def, kernelBtf.get(), what) : 0;
        return new ProgramParameters(what, type, def.expectedAttachType().map(t -> t.number()).orElse(-1), flags,
                attachBtfId);
    }

    private static BpfProgram loadProgram(BpfObject object, Program program, ProgramLinker linker,
                                          Optional<BtfHandle> btf, Supplier<Btf> kernelBtf) {
        ProgramParameters p = parameters(object, program, kernelBtf);
        String typeName = ProgramType.nameOf(p.type());
        ProgramLinker.Linked linked = linker.link(program, p.what());
        ProgramLoad load = new ProgramLoad(program.name(), p.type(), typeName, p.expectedAttachType(), p.flags(),
                object.license(), (int) object.kernelVersion().orElse(0), btf.map(b -> b.fd().value()).orElse(-1),
                p.attachBtfId());
        try {
            return load.load(linked);
        } catch (ProgramRejectedException e) {
            // EINVAL without a word from the verifier: ask whether this kernel has the program type at all
            if (Errno.EINVAL.is(e.errnoNumber()) && e.verifierLog().isBlank()) {
                Optional<ProgramType> known = ProgramType.fromNumber(p.type());
                if (known.isPresent() && FeatureProbe.programType(known.get()).support() == Support.UNSUPPORTED) {
                    throw new LoadException(p.what() + ": this kernel does not support program type " + typeName, e);
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
