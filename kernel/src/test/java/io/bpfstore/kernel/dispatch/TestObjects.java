package io.bpfstore.kernel.dispatch;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.testing.Oracles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The dispatcher tests' own XDP programs (C sources in src/test/c/dispatch, compiled once per test JVM with the
 * examples' clang flags) and the example objects' XDP entry programs.
 */
final class TestObjects {
    private static final Path SOURCES = Path.of("src/test/c/dispatch");
    private static Path compiled;

    private TestObjects() {
    }

    /** The compiled test program {@code name} ({@code count_all}, {@code drop_port}, {@code verdict}). */
    static BpfObject read(String name) throws IOException {
        return read(name, "");
    }

    /** The test program {@code name} compiled with {@code -D<define>} (none when blank). */
    static synchronized BpfObject read(String name, String define) throws IOException {
        if (compiled == null) {
            compiled = Files.createTempDirectory("bst-dispatch-objects");
            compiled.toFile().deleteOnExit();
        }
        Path object = compiled.resolve(name + (define.isBlank() ? "" : "-" + define.replaceAll("[^A-Za-z0-9]", "_")) + ".o");
        if (!Files.exists(object)) {
            Path source = SOURCES.resolve(name + ".c");
            if (!Files.isRegularFile(source)) {
                throw new AssertionError("test program source " + source.toAbsolutePath() + " is missing");
            }
            List<String> command = new ArrayList<>(List.of("clang", "-O2", "-g", "-target", "bpf",
                    "-I/usr/include/x86_64-linux-gnu", "-Wall"));
            if (!define.isBlank()) {
                command.add("-D" + define);
            }
            command.addAll(List.of("-c", source.toString(), "-o", object.toString()));
            Oracles.run(command);
            object.toFile().deleteOnExit();
        }
        return BpfObject.read(object);
    }

    /** An XDP entry program of an example object. */
    record ExampleEntry(Path path, BpfObject object, String program) {
        String label() {
            return object.name() + "/" + program;
        }
    }

    /** Every XDP program attachable to an interface in every example object in system property bpf.objects. */
    static List<ExampleEntry> exampleXdpEntries() throws IOException {
        String dir = System.getProperty("bpf.objects");
        if (dir == null) {
            throw new AssertionError("system property bpf.objects is not set (the build sets it)");
        }
        List<ExampleEntry> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".o") && Files.isRegularFile(f)).sorted().toList()) {
                BpfObject object = BpfObject.read(p);
                for (Program program : object.programs()) {
                    if (program.type().orElse(null) == ProgramType.XDP
                            && program.attachType().map(a -> a == AttachType.XDP).orElse(true)) {
                        out.add(new ExampleEntry(p, object, program.name()));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("no example object in " + dir + " has an XDP program; build the examples module");
        }
        return out;
    }
}
