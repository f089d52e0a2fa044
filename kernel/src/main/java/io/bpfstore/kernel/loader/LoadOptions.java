package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.BpfMap;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Loader#load} loads an object.
 *
 * @param pinRoot   directory on a bpffs where maps declared with {@code LIBBPF_PIN_BY_NAME} are pinned as
 *                  {@code <pinRoot>/<map name>} (and reused when already pinned there); libbpf's default is
 *                  {@code /sys/fs/bpf}
 * @param kernelBtf the running kernel's BTF, the target of CO-RE relocations and kfunc lookups
 * @param keepGoing when false (libbpf's behaviour), the first program the kernel refuses fails the whole load and
 *                  everything is closed again; when true every program is tried and refusals are collected in
 *                  {@link LoadedObject#rejections()} (for reports such as {@code bpfstore load})
 * @param pinMaps   when false, maps declared with {@code LIBBPF_PIN_BY_NAME} are neither reused from nor pinned at
 *                  the pin root (a trial load that must leave nothing behind)
 * @param existingMaps live maps to use instead of creating the object's maps, by the object's map name: BTF-defined
 *                  maps by their variable name, global data by libbpf's internal name ({@code <obj>.bss}, as
 *                  {@link LoadedObject#maps()} lists them) or by the bare section name ({@code .bss},
 *                  {@code .data}, {@code .rodata}, {@code .rodata.str1.1}, {@code .kconfig}). Each is checked
 *                  against the object's definition first (see {@link #withExistingMaps}); the loader opens its own
 *                  descriptor on each, so the caller keeps and closes the ones it passed
 * @param globals   values for global variables of {@code .rodata}/{@code .data} by name ({@code const volatile}
 *                  configuration), written into the maps' initial contents before {@code .rodata} is frozen;
 *                  typed from BTF as {@link io.bpfstore.bytecode.object.GlobalValues} describes (see
 *                  {@link #withGlobals})
 */
public record LoadOptions(Path pinRoot, Path kernelBtf, boolean keepGoing, boolean pinMaps,
                          Map<String, BpfMap> existingMaps, Map<String, String> globals) {
    /** libbpf's default pin root. */
    public static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf");
    /** Where the kernel publishes its BTF. */
    public static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");

    /** Checks the arguments. */
    public LoadOptions {
        Objects.requireNonNull(pinRoot, "pinRoot");
        Objects.requireNonNull(kernelBtf, "kernelBtf");
        existingMaps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(existingMaps, "existingMaps")));
        globals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(globals, "globals")));
    }

    /** Options that set no global variable. */
    public LoadOptions(Path pinRoot, Path kernelBtf, boolean keepGoing, boolean pinMaps,
                       Map<String, BpfMap> existingMaps) {
        this(pinRoot, kernelBtf, keepGoing, pinMaps, existingMaps, Map.of());
    }

    /** Options that reuse no live map. */
    public LoadOptions(Path pinRoot, Path kernelBtf, boolean keepGoing, boolean pinMaps) {
        this(pinRoot, kernelBtf, keepGoing, pinMaps, Map.of());
    }

    /** libbpf's defaults: pin root /sys/fs/bpf, vmlinux BTF, all or nothing. */
    public static LoadOptions defaults() {
        return new LoadOptions(DEFAULT_PIN_ROOT, VMLINUX_BTF, false, true);
    }

    /** These options with another pin root. */
    public LoadOptions withPinRoot(Path root) {
        return new LoadOptions(root, kernelBtf, keepGoing, pinMaps, existingMaps, globals);
    }

    /** These options with another kernel BTF file. */
    public LoadOptions withKernelBtf(Path btf) {
        return new LoadOptions(pinRoot, btf, keepGoing, pinMaps, existingMaps, globals);
    }

    /** These options, loading every program even when some are refused. */
    public LoadOptions keepingGoing() {
        return new LoadOptions(pinRoot, kernelBtf, true, pinMaps, existingMaps, globals);
    }

    /** These options, pinning nothing and reusing no pinned map. */
    public LoadOptions withoutPinning() {
        return new LoadOptions(pinRoot, kernelBtf, keepGoing, false, existingMaps, globals);
    }

    /**
     * These options, relocating against live {@code maps} instead of creating the object's maps of those names
     * (an upgrade that keeps map contents, or a program linked into a dispatcher). A reused map takes precedence
     * over a pin. Before use each is compared with the object's definition (type, key size, value size,
     * max_entries, flags) and a mismatch is a {@link MapMismatchException} naming the map and the field; a read-only
     * global-data map ({@code .rodata}, {@code .kconfig}), which is frozen, must also hold exactly the values
     * the object would have put in it. Writable global data ({@code .data}, {@code .bss}) keeps its contents.
     * Names that the object does not have are refused, so that a typo cannot silently create a fresh map.
     */
    public LoadOptions withExistingMaps(Map<String, BpfMap> maps) {
        return new LoadOptions(pinRoot, kernelBtf, keepGoing, pinMaps, maps, globals);
    }

    /**
     * These options, setting global variables before load: {@code values} maps a variable of the object's
     * {@code .rodata*} or {@code .data*} to its value as text ({@code install --set NAME=VALUE}). A name the object
     * lacks or a value its BTF type cannot hold fails the load with a {@link LoadException} naming variable and type.
     */
    public LoadOptions withGlobals(Map<String, String> values) {
        return new LoadOptions(pinRoot, kernelBtf, keepGoing, pinMaps, existingMaps, values);
    }
}
