package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.BtfHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An object loaded into the kernel: its maps, its programs and its BTF, each held by a file descriptor. Closing
 * it closes every descriptor; objects that something else still holds (a pin, an attachment) live on.
 */
public final class LoadedObject implements AutoCloseable {
    private final String name;
    private final Optional<BtfHandle> btf;
    private final Map<String, BpfMap> maps;
    private final Map<String, BpfProgram> programs;
    private final Map<String, RuntimeException> rejections;

    LoadedObject(String name, Optional<BtfHandle> btf, Map<String, BpfMap> maps, Map<String, BpfProgram> programs,
                 Map<String, RuntimeException> rejections) {
        this.name = name;
        this.btf = btf;
        this.maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
        this.programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        this.rejections = Collections.unmodifiableMap(new LinkedHashMap<>(rejections));
    }

    /** The object's name. */
    public String name() {
        return name;
    }

    /**
     * The loaded program named {@code name}.
     *
     * @throws IllegalArgumentException if the object has no such loaded program
     */
    public BpfProgram program(String name) {
        BpfProgram p = programs.get(name);
        if (p == null) {
            throw new IllegalArgumentException("object " + this.name + " has no loaded program \"" + name + "\""
                    + (rejections.containsKey(name) ? " (it was refused)" : ""));
        }
        return p;
    }

    /**
     * The map named {@code name} (as the object names it; internal maps as libbpf does, e.g. {@code global_d.rodata}).
     *
     * @throws IllegalArgumentException if the object has no such map
     */
    public BpfMap map(String name) {
        BpfMap m = maps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("object " + this.name + " has no map \"" + name + "\"");
        }
        return m;
    }

    /** Loaded programs by name, in object order. */
    public Map<String, BpfProgram> programs() {
        return programs;
    }

    /** Maps by name, in object order. */
    public Map<String, BpfMap> maps() {
        return maps;
    }

    /**
     * Programs the kernel or the loader refused, by name: {@link ProgramRejectedException} or {@link LoadException}.
     * Only filled with {@link LoadOptions#keepGoing()}; otherwise the first refusal is thrown.
     */
    public Map<String, RuntimeException> rejections() {
        return rejections;
    }

    /** The object's BTF as loaded into the kernel, if it has BTF. */
    public Optional<BtfHandle> btf() {
        return btf;
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(programs.values());
        all.addAll(maps.values());
        btf.ifPresent(all::add);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing an fd cannot meaningfully fail; keep closing the rest
            }
        }
    }
}
