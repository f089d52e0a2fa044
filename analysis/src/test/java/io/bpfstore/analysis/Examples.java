package io.bpfstore.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.testsupport.BpfClang;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test material: the example catalog ({@code bpf.objects}), small C programs compiled with clang, oracles. */
final class Examples {
    private Examples() {
    }

    /** The directory of compiled example objects; fails when the property or the directory is missing. */
    static Path dir() {
        return ExampleObjects.dir();
    }

    /** Every example object (top level: the accepted programs). */
    static List<Path> objects() {
        return ExampleObjects.topLevel();
    }

    /** Example object {@code name} (e.g. {@code xdp_firewall.o}). */
    static BpfObject object(String name) throws IOException {
        Path p = dir().resolve(name);
        assertTrue(Files.exists(p), p + " missing: build the examples module");
        return BpfObject.read(p);
    }

    /** Program {@code program} of example object {@code name}. */
    static Program program(BpfObject object, String program) {
        return object.program(program).orElseThrow(() -> new AssertionError(object.name() + " has no " + program));
    }

    /** Runs a command and returns its standard output; fails loudly when the tool is missing or fails. */
    static String run(List<String> command) {
        return ExternalTool.output(command);
    }

    /** Compiles BPF C source {@code source} with clang (as the example catalog does) and reads the object. */
    static BpfObject compile(Path workDir, String name, String source) throws IOException, InterruptedException {
        Path c = workDir.resolve(name + ".c");
        Path o = workDir.resolve(name + ".o");
        Files.writeString(c, source);
        BpfClang.compile(c, o);
        return BpfObject.read(o);
    }
}
