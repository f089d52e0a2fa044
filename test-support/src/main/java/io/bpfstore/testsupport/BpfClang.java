package io.bpfstore.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a BPF C program for a test the way the example catalog is built ({@code clang -O2 -g -target bpf} with
 * the multiarch include directory that holds {@code asm/types.h}). A failing compile fails the test with clang's
 * diagnostics.
 */
public final class BpfClang {
    /** The project's reference compiler (clang 14, as examples/Makefile uses); {@code clang-19} is the other one. */
    public static final String DEFAULT = "clang";

    private BpfClang() {
    }

    /** Compiles {@code source} into {@code object} with {@link #DEFAULT}; returns {@code object}. */
    public static Path compile(Path source, Path object) {
        return compile(DEFAULT, source, object);
    }

    /**
     * Compiles {@code source} into {@code object} with {@code compiler} (e.g. {@code clang-19}), adding {@code flags}
     * (e.g. {@code -Wall}, {@code -DNAME}, {@code -I...}) before the input; returns {@code object}.
     */
    public static Path compile(String compiler, Path source, Path object, String... flags) {
        List<String> command = new ArrayList<>(List.of(compiler, "-O2", "-g", "-target", "bpf",
                "-I/usr/include/" + multiarch()));
        command.addAll(List.of(flags));
        command.addAll(List.of("-c", source.toString(), "-o", object.toString()));
        ExternalTool.output(command);
        return object;
    }

    /** Debian's multiarch triple of this machine, where {@code asm/types.h} lives. */
    public static String multiarch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> System.getProperty("os.arch") + "-linux-gnu";
        };
    }
}
