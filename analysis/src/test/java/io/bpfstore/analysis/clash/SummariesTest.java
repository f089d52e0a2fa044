package io.bpfstore.analysis.clash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.analysis.summary.PacketSummary;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.ProgramTypes;
import io.bpfstore.testsupport.ExampleObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The summaries a check works out are known again by content: the same object file parsed anew (as the agent does
 * at every re-check) finds them, with the same lines as a fresh analysis; another type given to a program, or other
 * bytes, do not.
 */
class SummariesTest {
    @Test
    void sameBytesParsedAgainReuseTheSummary() throws IOException {
        Path file = ExampleObjects.dir().resolve("xdp_firewall.o");
        BpfObject first = BpfObject.read(file);
        BpfObject again = BpfObject.read(file);
        assertNotSame(first, again);
        Optional<PacketSummary> s = Summaries.of(first, first.programs().getFirst());
        assertTrue(s.isPresent());
        assertSame(s, Summaries.of(again, again.programs().getFirst()), "known by digest, not analysed again");
        assertEquals(PacketSummarizer.summarize(again, again.programs().getFirst()).orElseThrow().lines(),
                s.get().lines(), "what a fresh analysis says");

        String program = first.programs().getFirst().name();
        BpfObject typed = ProgramTypes.parse(List.of(program + "=sched_cls")).applyTo(BpfObject.read(file));
        assertNotSame(s, Summaries.of(typed, typed.programs().getFirst()), "another type is another analysis");

        byte[] bytes = Files.readAllBytes(file);
        BpfObject renamed = BpfObject.parse(bytes, "other");
        assertNotSame(s, Summaries.of(renamed, renamed.programs().getFirst()), "another object name");
    }
}
