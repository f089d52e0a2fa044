package io.bpfstore.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated code must never make the analysis fail with anything but a typed {@link MalformedObjectException}:
 * bytes of the example objects' code are flipped (seeded, so failures reproduce) and every object that still
 * parses is analysed.
 */
class MutatedObjectsTest {
    private static final int MUTANTS_PER_OBJECT = 10;

    @Test
    void analysisOfMutatedCodeFailsOnlyWithTypedErrors() throws Exception {
        Random random = new Random(20261126);
        int analysed = 0;
        for (Path path : Examples.objects()) {
            byte[] original = Files.readAllBytes(path);
            BpfObject clean = BpfObject.parse(original, path.getFileName().toString());
            List<long[]> code = clean.programs().stream().map(p -> new long[] {
                    clean.elf().sections().stream().filter(s -> s.name().equals(p.section())).findFirst()
                            .orElseThrow().offset() + p.code().offset(), p.code().slots() * 8L}).toList();
            for (int m = 0; m < MUTANTS_PER_OBJECT; m++) {
                byte[] bytes = original.clone();
                long[] region = code.get(random.nextInt(code.size()));
                for (int k = 0; k < 1; k++) {
                    int at = (int) (region[0] + random.nextLong(Math.max(1, region[1])));
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
                BpfObject object;
                try {
                    object = BpfObject.parse(bytes, path.getFileName() + "#" + m);
                } catch (MalformedObjectException e) {
                    continue;
                }
                for (Program p : object.programs()) {
                    try {
                        PacketSummarizer.summarize(object, p);
                        PermissionAnalyzer.derive(object, p);
                        analysed++;
                    } catch (MalformedObjectException e) {
                        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                    }
                }
            }
        }
        assertTrue(analysed > 30, "only " + analysed + " mutants analysed");
    }
}
