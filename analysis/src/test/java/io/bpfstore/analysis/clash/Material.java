package io.bpfstore.analysis.clash;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.bytecode.object.BpfObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test material for clash scenarios: example objects ({@code bpf.objects}) and C compiled with clang. */
final class Material {
    private Material() {
    }

    /** Example object {@code name} as a package of the same name. */
    static CheckedPackage example(String name) throws IOException {
        String p = System.getProperty("bpf.objects");
        if (p == null) {
            fail("system property bpf.objects is not set (run through Maven)");
        }
        Path file = Path.of(p).resolve(name);
        assertTrue(Files.exists(file), file + " missing: build the examples module");
        return new CheckedPackage(name, BpfObject.read(file));
    }

    /** Compiles C source with clang as the example catalog does; the package is named {@code name.o}. */
    static CheckedPackage compile(Path work, String name, String source) throws IOException, InterruptedException {
        Path c = work.resolve(name + ".c");
        Files.writeString(c, source);
        return build(c, work.resolve(name + ".o"), name, List.of());
    }

    /** Where the purpose-written scenario programs are (analysis/src/test/c/clash). */
    static final Path PROGRAMS = Path.of("src/test/c/clash");

    /**
     * Compiles the scenario program {@code file} (in {@link #PROGRAMS}) with {@code defines} ("NAME=value") into a
     * package named {@code name.o}.
     */
    static CheckedPackage program(Path work, String file, String name, String... defines)
            throws IOException, InterruptedException {
        Path c = PROGRAMS.resolve(file);
        assertTrue(Files.exists(c), c.toAbsolutePath() + " missing");
        return build(c, work.resolve(name + ".o"), name, List.of(defines));
    }

    private static CheckedPackage build(Path c, Path o, String name, List<String> defines)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("clang", "-O2", "-g", "-target", "bpf",
                "-I/usr/include/x86_64-linux-gnu"));
        defines.forEach(d -> cmd.add("-D" + d));
        cmd.addAll(List.of("-c", c.toString(), "-o", o.toString()));
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("clang is required by this test and could not be started", e);
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
            fail("clang failed on " + name + ":\n" + out);
        }
        return new CheckedPackage(name + ".o", BpfObject.read(o));
    }

    /** Common includes of the purpose-written programs. */
    static final String HEADERS = """
            #include <linux/bpf.h>
            #include <linux/if_ether.h>
            #include <linux/ip.h>
            #include <linux/in.h>
            #include <linux/tcp.h>
            #include <linux/udp.h>
            #include <linux/pkt_cls.h>
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_endian.h>
            char LICENSE[] SEC("license") = "GPL";
            """;
}
