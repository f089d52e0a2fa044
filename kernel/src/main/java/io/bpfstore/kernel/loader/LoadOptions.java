package io.bpfstore.kernel.loader;

import java.nio.file.Path;
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
 */
public record LoadOptions(Path pinRoot, Path kernelBtf, boolean keepGoing, boolean pinMaps) {
    /** libbpf's default pin root. */
    public static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf");
    /** Where the kernel publishes its BTF. */
    public static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");

    /** Checks the arguments. */
    public LoadOptions {
        Objects.requireNonNull(pinRoot, "pinRoot");
        Objects.requireNonNull(kernelBtf, "kernelBtf");
    }

    /** libbpf's defaults: pin root /sys/fs/bpf, vmlinux BTF, all or nothing. */
    public static LoadOptions defaults() {
        return new LoadOptions(DEFAULT_PIN_ROOT, VMLINUX_BTF, false, true);
    }

    /** These options with another pin root. */
    public LoadOptions withPinRoot(Path root) {
        return new LoadOptions(root, kernelBtf, keepGoing, pinMaps);
    }

    /** These options with another kernel BTF file. */
    public LoadOptions withKernelBtf(Path btf) {
        return new LoadOptions(pinRoot, btf, keepGoing, pinMaps);
    }

    /** These options, loading every program even when some are refused. */
    public LoadOptions keepingGoing() {
        return new LoadOptions(pinRoot, kernelBtf, true, pinMaps);
    }

    /** These options, pinning nothing and reusing no pinned map. */
    public LoadOptions withoutPinning() {
        return new LoadOptions(pinRoot, kernelBtf, keepGoing, false);
    }
}
