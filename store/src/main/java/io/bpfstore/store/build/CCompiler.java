package io.bpfstore.store.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Compiles one C source to an eBPF object with clang, the way the example catalog is built:
 * {@code clang -O2 -g -target bpf -I/usr/include/<arch>-linux-gnu -D__TARGET_ARCH_<arch> -c FILE.c}, with
 * {@code -fdebug-compilation-dir=.}, run in the source's directory, so that the object's line info names
 * {@code ./FILE.c}, not the build directory.
 * The object lands in a directory the caller owns (usually a temporary one).
 */
public final class CCompiler {
    private static final long TIMEOUT_SECONDS = 120;

    private final String clang;

    /** A compiler that runs {@code clang} (a name looked up on PATH, or a path). */
    public CCompiler(String clang) {
        this.clang = clang;
    }

    /** The default compiler: {@code clang} on PATH. */
    public static CCompiler onPath() {
        return new CCompiler("clang");
    }

    /**
     * Compiles {@code source} to {@code outDir/<base>.o} and returns that path. {@code includes} are extra
     * {@code -I} directories. Throws {@link CompileException} with clang's diagnostics when it fails.
     */
    public Path compile(Path source, Path outDir, List<Path> includes) throws IOException {
        String file = source.getFileName().toString();
        String base = file.endsWith(".c") ? file.substring(0, file.length() - 2) : file;
        Path out = outDir.resolve(base + ".o");
        String multiarch = multiarch();
        List<String> command = new ArrayList<>(List.of(clang, "-O2", "-g", "-target", "bpf",
                "-I/usr/include/" + multiarch + "-linux-gnu", "-D__TARGET_ARCH_" + kernelArch()));
        for (Path i : includes) {
            command.add("-I" + i.toAbsolutePath());
        }
        // Run in the source's directory with the compilation directory ".": the object's line info then names
        // ./prog.c (and ./local.h), not this machine's directories, which registries would show to every reader.
        Path dir = source.toAbsolutePath().normalize().getParent();
        command.addAll(List.of("-fdebug-compilation-dir=.", "-c", source.getFileName().toString(), "-o",
                out.toAbsolutePath().toString()));
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new CompileException(source.toString(), "cannot run " + clang + " (install clang): " + e.getMessage());
        }
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CompileException(source.toString(), "clang did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling " + source, e);
        }
        String diagnostics = new String(err.join(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !Files.isRegularFile(out)) {
            throw new CompileException(source.toString(), diagnostics.isBlank()
                    ? "clang exited with status " + p.exitValue() : diagnostics);
        }
        return out;
    }

    /** Debian's multiarch triplet prefix for this machine ({@code x86_64}, {@code aarch64} ...). */
    static String multiarch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
    }

    /** The kernel's architecture name, which bpf_tracing.h expects in {@code __TARGET_ARCH_*}. */
    static String kernelArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "powerpc";
            case "s390x" -> "s390";
            case "riscv64" -> "riscv";
            default -> System.getProperty("os.arch");
        };
    }
}
