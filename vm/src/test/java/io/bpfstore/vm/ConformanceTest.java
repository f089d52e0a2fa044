package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.bytecode.assembler.ConformanceCase;
import io.bpfstore.bytecode.assembler.Corpus;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.Region;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every test of the bpf_conformance suite (RFC 9669) in the external corpus runs in the interpreter and must give
 * its own expected r0 (or fail where it expects an error). r1 points to the test's memory, r2 holds its length.
 * The corpus comes from the project's one setting ({@link Corpus}): skipped loudly where it is absent, required in CI.
 */
@ExtendWith(Corpus.Required.class)
class ConformanceTest {
    /** bpf_conformance's helper 5 ("unwind" in its reference plugin) returns its argument. */
    private static final Map<Integer, Helper> CONFORMANCE_HELPERS = Map.of(5, (m, r1, r2, r3, r4, r5) -> r1);

    static List<ConformanceCase> cases() {
        return Corpus.files("bpf_conformance/tests", ".data").stream()
                .map(p -> ConformanceCase.parse(p.getFileName().toString(), Corpus.read(p))).toList();
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
    Stream<DynamicTest> everyConformanceTestPassesInTheInterpreter() {
        return every(new Interpreter(1_000_000));
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceTestPassesCompiled() {
        return every(new Compiler(1_000_000));
    }

    private static Stream<DynamicTest> every(Executor executor) {
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
