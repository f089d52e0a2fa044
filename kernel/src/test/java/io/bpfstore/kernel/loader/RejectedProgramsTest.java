package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every object under {@code rejected/} is refused with a {@link ProgramRejectedException} that names the program,
 * carries the verifier message its source announces ({@code // Verifier says: "..."}) and points at the source
 * line the kernel itself names: at log level 1 and up the verifier prints the BTF line info of the instructions
 * it walks ({@code ; text @ file:line}), so the last such comment before the refused instruction is the oracle.
 */
@RequiresRoot
class RejectedProgramsTest {
    private static final Pattern SAYS = Pattern.compile("// Verifier says: \"(.*)\"");
    /** What the refused line of each known example contains (other objects get the kernel check alone). */
    private static final Map<String, String> CONSTRUCT = Map.of(
            "oob_packet_read", "eth->h_proto",
            "null_map_value", "packets",
            "unbounded_loop", "g->open",
            "uninit_stack", "*packets");

    @TestFactory
    Stream<DynamicTest> refusedWithReasonAndSourceLine() {
        Path dir = Objects.root().resolve("rejected");
        List<Path> objects = Objects.in(dir);
        assertFalse(objects.isEmpty(), "no rejected objects under " + dir);
        return objects.stream().map(o -> DynamicTest.dynamicTest(o.getFileName().toString(), () -> check(o)));
    }

    private void check(Path path) throws IOException {
        BpfObject object = BpfObject.read(path);
        ProgramRejectedException e = assertThrows(ProgramRejectedException.class,
                () -> Loader.load(object, LoadOptions.defaults()).close());
        assertTrue(object.program(e.program()).isPresent(), "names a program of the object: " + e.program());
        assertTrue(e.getMessage().startsWith("load program \"" + e.program() + "\" (xdp): the verifier rejected it: "),
                e.getMessage());
        String base = path.getFileName().toString().replaceFirst("\\.o$", "");
        Path source = Objects.root().getParent().getParent().resolve("rejected").resolve(base + ".c");
        Matcher says = SAYS.matcher(Files.readString(source));
        assertTrue(says.find(), source + " has no '// Verifier says' line");
        assertTrue(e.reason().contains(says.group(1)), "reason \"" + e.reason() + "\" lacks \"" + says.group(1) + "\"");
        assertTrue(e.getMessage().contains(says.group(1)), e.getMessage());

        Optional<SourceLine> line = e.sourceLine();
        assertTrue(line.isPresent(), "no source line for " + e.getMessage());
        KernelLineComments.Line kernel = KernelLineComments.atRefusal(e.verifierLog());
        assertEquals(kernel.file(), line.get().fileName(), "file of the refused instruction");
        assertEquals(kernel.line(), line.get().line(), "line of the refused instruction, kernel log:\n" + e.verifierLog());
        assertEquals(kernel.text().strip(), line.get().text());
        assertTrue(e.getMessage().endsWith(" at " + line.get()), e.getMessage());
        String construct = CONSTRUCT.get(base);
        if (construct != null) {
            assertTrue(line.get().text().contains(construct), line.get() + " should contain " + construct);
        }
    }
}
