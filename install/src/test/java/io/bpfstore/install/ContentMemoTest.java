package io.bpfstore.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.testsupport.ExampleObjects;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The content memo: computed once per key, the least recently used dropped, failures not kept. */
class ContentMemoTest {
    @Test
    void computesOncePerKeyAndDropsTheLeastRecentlyUsed() {
        List<String> computed = new ArrayList<>();
        ContentMemo<String, String> memo = new ContentMemo<>(2);
        java.util.function.Function<String, String> upper = k -> {
            computed.add(k);
            return k.toUpperCase();
        };
        assertEquals("A", memo.get("a", upper));
        assertEquals("B", memo.get("b", upper));
        assertEquals("A", memo.get("a", upper)); // kept; "b" is now the least recently used
        assertEquals("C", memo.get("c", upper)); // drops "b"
        assertEquals("A", memo.get("a", upper));
        assertEquals("B", memo.get("b", upper)); // computed again
        assertEquals(List.of("a", "b", "c", "b"), computed);
    }

    @Test
    void aFailureIsNotKept() {
        ContentMemo<String, String> memo = new ContentMemo<>(4);
        assertThrows(IllegalStateException.class, () -> memo.get("x", k -> {
            throw new IllegalStateException("no");
        }));
        assertEquals("ok", memo.get("x", k -> "ok"));
    }

    @Test
    void aPackageIsParsedOncePerContentAndEqualBytesShareTheObject() throws Exception {
        byte[] bytes = Files.readAllBytes(ExampleObjects.resolve("xdp_counter.o"));
        ResolvedPackage one = new ResolvedPackage("examples/xdp-counter", "xdp-counter", "1.0.0", "/x", "sha256:"
                + "ab".repeat(32), "xdp_counter", bytes, List.of(), Optional.empty());
        ResolvedPackage two = new ResolvedPackage("examples/xdp-counter", "xdp-counter", "1.1.0", "/y", "sha256:"
                + "cd".repeat(32), "xdp_counter", bytes.clone(), List.of(), Optional.empty());
        BpfObject parsed = one.parse();
        assertSame(parsed, two.parse(), "same bytes and name: the same immutable parse");
        assertEquals(BpfObject.parse(bytes, "xdp_counter").programs(), parsed.programs());
    }
}
