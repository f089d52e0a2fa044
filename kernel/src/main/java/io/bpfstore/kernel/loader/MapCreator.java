package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.GlobalData;
import io.bpfstore.bytecode.object.GlobalValueException;
import io.bpfstore.bytecode.object.GlobalValues;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.Relocation;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BtfHandle;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.PossibleCpus;
import io.bpfstore.kernel.UpdateMode;
import io.bpfstore.kernel.probe.FeatureProbe;
import io.bpfstore.kernel.probe.Support;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.MapCreateAttr;
import io.bpfstore.kernel.sys.ObjPinAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Creates an object's maps as libbpf's {@code bpf_object__create_maps} does: BTF key and value types where the map
 * type allows them (retried without BTF if the kernel objects), names cut to 15 bytes, a template inner map for
 * map-in-map types, perf event arrays sized to the CPUs and ring buffers to whole pages, global-data maps filled
 * with their section's bytes and {@code .rodata} frozen, and {@code LIBBPF_PIN_BY_NAME} maps reused from, or pinned
 * at, {@code <pin root>/<name>} after a compatibility check.
 */
final class MapCreator {
    private static final int NAME_MAX = 15;
    private static final int PAGE_SIZE = 4096;
    /** Map types libbpf creates without BTF key/value types (bpf_object__create_map). */
    private static final Set<Integer> NO_BTF_TYPES = Set.of(4, 8, 7, 12, 13, 14, 25, 16, 17, 15, 18, 22, 23);
    private static final Set<Integer> MAP_IN_MAP = Set.of(12, 13);
    private static final int PERF_EVENT_ARRAY = 4;
    private static final int RINGBUF = 27;
    private static final int PROG_ARRAY = 3;

    private final BpfObject object;
    private final Optional<BtfHandle> btf;
    private final LoadOptions options;

    /** The values given for global variables ({@link LoadOptions#globals()}), encoded. */
    private final List<GlobalValues.Patch> globals;

    MapCreator(BpfObject object, Optional<BtfHandle> btf, LoadOptions options) {
        this.object = object;
        this.btf = btf;
        this.options = options;
        try {
            this.globals = GlobalValues.resolve(object, options.globals());
        } catch (GlobalValueException e) {
            throw new LoadException(e.getMessage(), e);
        }
    }

    /** Creates (or reuses from {@link LoadOptions#existingMaps()} or from its pin) the map {@code def}. */
    BpfMap create(MapDefinition def) {
        def = effective(def);
        Optional<BpfMap> live = checkedExisting(def);
        if (live.isPresent()) {
            return open(def, live.get());
        }
        Optional<Path> iproutePin = IprouteMaps.pinPath(object, def, options.pinRoot());
        Path pin = iproutePin.orElse(options.pinRoot().resolve(def.name()));
        boolean pinned = (def.pinning() == MapDefinition.PIN_BY_NAME || iproutePin.isPresent()) && options.pinMaps();
        if (pinned && Files.exists(pin)) {
            return reuse(def, pin);
        }
        if (def.pinning() > MapDefinition.PIN_BY_NAME) {
            throw new LoadException(what(def) + ": unknown pinning mode " + def.pinning());
        }
        BpfMap map = createInKernel(def, def.name());
        try {
            initialise(def, map);
            if (pinned) {
                pin(map, pin, def);
            }
            return map;
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    /** Creates the internal {@code .kconfig} map holding {@code values}, frozen like .rodata. */
    BpfMap createKconfig(MapDefinition def, byte[] values) {
        Optional<BpfMap> live = checkedExistingKconfig(def, values);
        if (live.isPresent()) {
            return open(def, live.get());
        }
        BpfMap map = createInKernel(def, def.name());
        try {
            map.update(new byte[4], values, UpdateMode.ANY);
            map.freeze();
            return map;
        } catch (BpfException e) {
            map.close();
            throw new LoadException(what(def) + ": cannot set its contents: " + e.getMessage(), e);
        }
    }

    /**
     * The definition as libbpf completes it: {@code __array(values, ...)} of a program array or map-in-map makes
     * 4-byte values (fds) without a BTF value type.
     */
    static MapDefinition effective(MapDefinition def) {
        if ((def.type() == PROG_ARRAY || MAP_IN_MAP.contains(def.type())) && def.valueSize() == 0) {
            return new MapDefinition(def.name(), def.section(), def.type(), def.keySize(), 4, def.maxEntries(),
                    def.flags(), def.pinning(), def.keyTypeId(), 0, def.inner().map(MapCreator::effective),
                    def.elfMap());
        }
        return def;
    }

    private String what(MapDefinition def) {
        Set<String> users = new LinkedHashSet<>();
        for (Program p : object.programs()) {
            for (Function f : p.functions()) {
                for (Relocation r : f.relocations()) {
                    if (r.kind() == Relocation.Kind.MAP && r.symbol().equals(def.name())
                            || r.kind() == Relocation.Kind.GLOBAL_DATA && r.section().equals(def.section())) {
                        users.add(p.name());
                    }
                }
            }
        }
        String by = users.isEmpty() ? "" : " used by program" + (users.size() > 1 ? "s " : " ")
                + String.join(", ", users.stream().map(u -> "\"" + u + "\"").toList());
        return "create map \"" + def.name() + "\" (" + MapType.nameOf(def.type()) + ")" + by;
    }

    private BpfMap createInKernel(MapDefinition def, String name) {
        String what = what(def);
        long maxEntries = effectiveMaxEntries(def);
        if (def.keySize() > Integer.MAX_VALUE || def.valueSize() > Integer.MAX_VALUE || maxEntries > 0xffffffffL) {
            throw new LoadException(what + ": sizes out of range (key " + def.keySize() + ", value " + def.valueSize()
                    + ", max_entries " + maxEntries + ")");
        }
        BpfMap inner = null;
        try {
            if (MAP_IN_MAP.contains(def.type())) {
                MapDefinition innerDef = def.inner().orElseThrow(() ->
                        new LoadException(what + ": a map-in-map needs an inner map definition (__array(values, ...))"));
                inner = createInKernel(effective(innerDef), truncate(def.name() + ".inner"));
            }
            int keyType = def.keyTypeId();
            int valueType = def.valueTypeId();
            if (def.section().startsWith(".") && !def.section().equals(".maps")) {
                valueType = datasecId(def.section());
                keyType = 0;
            }
            if (NO_BTF_TYPES.contains(def.type())) {
                keyType = 0;
                valueType = 0;
            }
            int errno;
            try (Arena arena = Arena.ofConfined()) {
                MapCreateAttr attr = new MapCreateAttr(arena).mapType(def.type()).keySize((int) def.keySize())
                        .valueSize((int) def.valueSize()).maxEntries((int) maxEntries).mapFlags((int) def.flags())
                        .mapName(truncate(name));
                if (inner != null) {
                    attr.innerMapFd(inner.fd().value());
                }
                if (btf.isPresent() && (keyType != 0 || valueType != 0)) {
                    attr.btfFd(btf.get().fd().value()).btfKeyTypeId(keyType).btfValueTypeId(valueType);
                }
                long fd = BpfSyscall.invoke(BpfCommand.MAP_CREATE, attr.segment());
                if (fd < 0 && (keyType != 0 || valueType != 0)) {
                    attr.btfFd(0).btfKeyTypeId(0).btfValueTypeId(0); // libbpf retries without BTF types
                    fd = BpfSyscall.invoke(BpfCommand.MAP_CREATE, attr.segment());
                }
                if (fd >= 0) {
                    return Adopt.map(fd);
                }
                errno = (int) -fd;
            }
            throw new LoadException(what + ": " + explain(def.type(), errno));
        } finally {
            if (inner != null) {
                inner.close();
            }
        }
    }

    private static String explain(int type, int errno) {
        Optional<MapType> known = MapType.fromNumber(type);
        if (known.isEmpty()) {
            return "this kernel (and bpfstore) has no map type " + type;
        }
        if (Errno.EINVAL.is(errno) && FeatureProbe.mapType(known.get()).support() == Support.UNSUPPORTED) {
            return "this kernel does not support map type " + known.get().bpftoolName();
        }
        return Errno.describe(errno);
    }

    private int datasecId(String section) {
        return object.btf().flatMap(b -> b.find(section, BtfType.Datasec.class)).map(BtfType::id).orElse(0);
    }

    static String truncate(String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return bytes.length <= NAME_MAX ? name : new String(bytes, 0, NAME_MAX, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The live map the caller passed for {@code def}: under the map's name or, for global data, under its bare
     * section name.
     */
    private Optional<BpfMap> existing(MapDefinition def) {
        Map<String, BpfMap> given = options.existingMaps();
        BpfMap m = given.get(def.name());
        if (m == null && isGlobalData(def)) {
            m = given.get(def.section());
        }
        return Optional.ofNullable(m);
    }

    private static boolean isGlobalData(MapDefinition def) {
        return def.section().startsWith(".") && !def.section().equals(".maps");
    }

    /** Whether {@code name} names one of {@code defs}, as {@link #existing} looks them up. */
    static boolean names(List<MapDefinition> defs, String name) {
        return defs.stream().anyMatch(d -> d.name().equals(name) || isGlobalData(d) && d.section().equals(name));
    }

    /** The whole value a frozen global-data map must hold; empty for maps whose contents are the program's state. */
    private Optional<byte[]> expectedContents(MapDefinition def) {
        Optional<GlobalData> data = object.globalData().stream().filter(g -> g.section().equals(def.section())).findFirst();
        if (data.isEmpty() || !data.get().readOnly() || !isGlobalData(def)) {
            return Optional.empty();
        }
        return Optional.of(initialValue(def, data.get()));
    }

    /** The caller's live map for {@code def} (not a descriptor of the loader's own), checked against it. */
    Optional<BpfMap> checkedExisting(MapDefinition def) {
        MapDefinition effective = effective(def);
        Optional<BpfMap> live = existing(effective);
        live.ifPresent(m -> check(effective, m, expectedContents(effective)));
        return live;
    }

    /** The caller's live {@code .kconfig} map, checked against {@code def} and the values this kernel gives. */
    Optional<BpfMap> checkedExistingKconfig(MapDefinition def, byte[] values) {
        Optional<BpfMap> live = existing(def);
        live.ifPresent(m -> check(def, m, Optional.of(values)));
        return live;
    }

    private static String reuseWhat(MapDefinition def, BpfMap live) {
        return "reuse map \"" + def.name() + "\" (live map id " + live.id() + ")";
    }

    /** A descriptor of the loader's own on a checked live map, so that closing the load leaves the caller's open. */
    private static BpfMap open(MapDefinition def, BpfMap live) {
        try {
            return BpfMap.fromId(live.id());
        } catch (BpfException e) {
            throw new LoadException(reuseWhat(def, live) + ": cannot open it: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code live} matches {@code def}; {@code contents}, when present, is the value key 0 must hold
     * (a frozen map cannot be given the object's values).
     */
    private static void check(MapDefinition def, BpfMap live, Optional<byte[]> contents) {
        String what = reuseWhat(def, live);
        mismatch(def, live.info()).ifPresent(m -> {
            throw new MapMismatchException(what + ": " + m.words(), def.name(), m.field());
        });
        if (contents.isPresent()) {
            byte[] held;
            try {
                held = live.lookup(new byte[4]).orElse(new byte[0]);
            } catch (BpfException e) {
                throw new LoadException(what + ": cannot read its contents: " + e.getMessage(), e);
            }
            if (!java.util.Arrays.equals(held, contents.get())) {
                int at = java.util.Arrays.mismatch(held, contents.get());
                throw new MapMismatchException(what + ": read-only data differs from the object's (first at byte " + at
                        + "); a frozen " + def.section() + " map cannot be changed, so the object needs a new one",
                        def.name(), "contents");
            }
        }
    }

    /** The first field in which a live map differs from {@code def}: its name and the difference in words. */
    private record Mismatch(String field, String words) {
    }

    /** The first field in which a live map differs from {@code def}; empty when compatible. */
    private static Optional<Mismatch> mismatch(MapDefinition def, MapInfo info) {
        long maxEntries = effectiveMaxEntries(def);
        if (info.typeNumber() != def.type()) {
            return Optional.of(new Mismatch("type", "type differs: live map " + info.typeName() + ", object "
                    + MapType.nameOf(def.type())));
        }
        if (info.keySize() != def.keySize()) {
            return Optional.of(new Mismatch("key_size", "key_size differs: live map " + info.keySize() + ", object "
                    + def.keySize()));
        }
        if (info.valueSize() != def.valueSize()) {
            return Optional.of(new Mismatch("value_size", "value_size differs: live map " + info.valueSize()
                    + ", object " + def.valueSize()));
        }
        if (Integer.toUnsignedLong(info.maxEntries()) != maxEntries) {
            return Optional.of(new Mismatch("max_entries", "max_entries differs: live map "
                    + Integer.toUnsignedLong(info.maxEntries()) + ", object " + maxEntries));
        }
        if (Integer.toUnsignedLong(info.flags()) != def.flags()) {
            return Optional.of(new Mismatch("flags", "flags differ: live map 0x" + Integer.toHexString(info.flags())
                    + ", object 0x" + Long.toHexString(def.flags())));
        }
        return Optional.empty();
    }

    /** max_entries as the map is created: perf event arrays sized to the CPUs, ring buffers to whole pages. */
    private static long effectiveMaxEntries(MapDefinition def) {
        long maxEntries = def.maxEntries();
        if (def.type() == PERF_EVENT_ARRAY && maxEntries == 0) {
            maxEntries = PossibleCpus.count();
        }
        if (def.type() == RINGBUF) {
            long pages = Math.max(1, (maxEntries + PAGE_SIZE - 1) / PAGE_SIZE);
            maxEntries = Long.highestOneBit(pages) == pages ? pages * PAGE_SIZE : Long.highestOneBit(pages) * 2 * PAGE_SIZE;
        }
        return maxEntries;
    }

    private byte[] initialValue(MapDefinition def, GlobalData data) {
        byte[] value = new byte[(int) def.valueSize()];
        if (!data.zeroed()) {
            byte[] bytes = object.elf().section(def.section()).map(Section::bytes).orElse(new byte[0]);
            System.arraycopy(bytes, 0, value, 0, Math.min(bytes.length, value.length));
        }
        return GlobalValues.apply(value, def.section(), globals);
    }

    /** Global data: the section's bytes (zeroes for .bss) as the single value; .rodata frozen. */
    private void initialise(MapDefinition def, BpfMap map) {
        Optional<GlobalData> data = object.globalData().stream().filter(g -> g.section().equals(def.section())).findFirst();
        if (data.isEmpty() || def.section().equals(".maps")) {
            return;
        }
        byte[] value = initialValue(def, data.get());
        try {
            map.update(new byte[4], value, UpdateMode.ANY);
            if (data.get().readOnly()) {
                map.freeze();
            }
        } catch (BpfException e) {
            throw new LoadException(what(def) + ": cannot set its initial contents: " + e.getMessage(), e);
        }
    }

    private BpfMap reuse(MapDefinition def, Path pin) {
        BpfMap pinned;
        try {
            pinned = BpfMap.openPinned(pin);
        } catch (BpfException e) {
            throw new LoadException("reuse pinned map \"" + def.name() + "\" at " + pin + ": " + e.getMessage(), e);
        }
        MapInfo info = pinned.info();
        long maxEntries = effectiveMaxEntries(def);
        Optional<Mismatch> differs = mismatch(def, info);
        if (differs.isPresent()) {
            pinned.close();
            throw new MapMismatchException("reuse pinned map \"" + def.name() + "\" at " + pin
                    + ": the pinned map does not match the object's definition: pinned "
                    + describe(info.typeNumber(), info.keySize(), info.valueSize(), Integer.toUnsignedLong(info.maxEntries()),
                    Integer.toUnsignedLong(info.flags())) + ", object " + describe(def.type(), def.keySize(),
                    def.valueSize(), maxEntries, def.flags()), def.name(), differs.get().field());
        }
        return pinned;
    }

    private static String describe(int type, long key, long value, long maxEntries, long flags) {
        return MapType.nameOf(type) + " (key " + key + ", value " + value + ", max_entries " + maxEntries
                + ", flags 0x" + Long.toHexString(flags) + ")";
    }

    private void pin(BpfMap map, Path pin, MapDefinition def) {
        if (def.elfMap().isPresent()) {
            try {
                Files.createDirectories(pin.getParent()); // iproute2 makes tc/globals and tc/<object sha1> itself
            } catch (java.io.IOException e) {
                throw new LoadException("pin map \"" + def.name() + "\" at " + pin + ": cannot make its folder: " + e, e);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            ObjPinAttr attr = new ObjPinAttr(arena).pathname(arena.allocateFrom(pin.toString())).bpfFd(map.fd().value());
            BpfSyscall.call(BpfCommand.OBJ_PIN, attr.segment());
        } catch (SyscallException e) {
            throw new LoadException("pin map \"" + def.name() + "\" at " + pin + ": "
                    + Errno.describe(e.errno()), e);
        }
    }
}
