package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpfstore.bytecode.assembler.ConformanceCase;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.Region;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every test of the bpf_conformance suite (RFC 9669) in the external corpus runs in the interpreter and must give
 * its own expected r0 (or fail where it expects an error). r1 points to the test's memory, r2 holds its length.
 */
class ConformanceTest {
    /** bpf_conformance's helper 5 ("unwind" in its reference plugin) returns its argument. */
    private static final Map<Integer, Helper> CONFORMANCE_HELPERS = Map.of(5, (m, r1, r2, r3, r4, r5) -> r1);

    static Path corpus() {
        String dir = System.getProperty("bpfstore.corpus", "../shared/corpus");
        Path tests = Path.of(dir).resolve("bpf_conformance/tests");
        if (!Files.isDirectory(tests)) {
            System.err.println("SKIPPED: bpf_conformance tests not found at " + tests.toAbsolutePath()
                    + " (set -Dbpfstore.corpus=DIR)");
        }
        assumeTrue(Files.isDirectory(tests), "bpf_conformance corpus missing at " + tests.toAbsolutePath());
        return tests;
    }

    static List<ConformanceCase> cases() throws IOException {
        try (Stream<Path> files = Files.list(corpus())) {
            return files.filter(p -> p.toString().endsWith(".data")).sorted().map(p -> {
                try {
                    return ConformanceCase.parse(p.getFileName().toString(), Files.readString(p));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** Runs a case's program in a fresh machine with the given runner. */
    static long run(ConformanceCase c, Runner runner) {
        AddressSpace memory = new AddressSpace();
        byte[] mem = c.memory();
        long r1 = mem.length == 0 ? 0 : memory.map(new Region("test memory", mem, true));
        Machine machine = new Machine(memory, CONFORMANCE_HELPERS);
        return runner.run(machine, Code.of(c.name(), c.program()), r1, mem.length);
    }

    /** How a case is run: the interpreter, or the compiled form. */
    interface Runner {
        long run(Machine machine, Code code, long r1, long r2);
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceTestPassesInTheInterpreter() throws IOException {
        return every(new Interpreter(1_000_000));
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceTestPassesCompiled() throws IOException {
        return every(new Compiler(1_000_000));
    }

    private static Stream<DynamicTest> every(Executor executor) throws IOException {
        List<ConformanceCase> cases = cases();
        assertFalse(cases.isEmpty(), "no .data files in the corpus");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            if (c.expectedError().isPresent()) {
                assertThrows(RuntimeException.class, () -> run(c, executor::run), c.name() + " must fail");
            } else {
                assertEquals(c.result().orElseThrow(), run(c, executor::run), c.name());
            }
        }));
    }
}
