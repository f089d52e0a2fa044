package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.MalformedBtfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running kernel's BTF ({@code /sys/kernel/btf/vmlinux}), parsed once per path and process: it describes the
 * booted kernel and does not change while it runs, and parsing its few megabytes is the slowest step of a load.
 */
final class KernelBtf {
    private static final Map<Path, Btf> CACHE = new ConcurrentHashMap<>();

    private KernelBtf() {
    }

    /**
     * The parsed BTF at {@code path}.
     *
     * @throws LoadException naming {@code why} when it cannot be read or parsed
     */
    static Btf at(Path path, String why) {
        Btf cached = CACHE.get(path);
        if (cached != null) {
            return cached;
        }
        try {
            Btf btf = Btf.parse(Files.readAllBytes(path));
            CACHE.put(path, btf);
            return btf;
        } catch (IOException e) {
            throw new LoadException(why + ": cannot read the kernel's BTF at " + path + ": " + e.getMessage(), e);
        } catch (MalformedBtfException e) {
            throw new LoadException(why + ": the kernel's BTF at " + path + " is malformed: " + e.getMessage(), e);
        }
    }
}
