package io.bpfstore.kernel.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.MapSpec;
import io.bpfstore.kernel.PinnedObject;
import io.bpfstore.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pins found on a bpffs the test mounts, compared with what bpftool says each pin holds. */
class PinScanTest {
    @Test
    void findsPinsOnEveryBpffsWithTheirIds() throws Exception {
        assertEquals("0", ExternalTool.output("id", "-u").strip(), "pins need root; this test does not skip");
        Path fs = Path.of("/tmp", "bst-test-" + ProcessHandle.current().pid() + "-pins");
        Files.createDirectories(fs);
        ExternalTool.output("mount", "-t", "bpf", "bpf", fs.toString());
        try (BpfMap map = BpfMap.create(MapSpec.of("bst_pinned", MapType.HASH, 4, 8, 4))) {
            Files.createDirectories(fs.resolve("sub"));
            Path pin = fs.resolve("sub/bst_pinned");
            map.pin(pin);
            assertTrue(PinScan.mounts().contains(fs), "mount listed: " + PinScan.mounts());
            List<PinnedObject> found = PinScan.scan().stream().filter(p -> p.path().startsWith(fs)).toList();
            assertEquals(List.of(new PinnedObject(pin, PinnedObject.Kind.MAP, map.id())), found);
            int theirs = new ObjectMapper().readTree(ExternalTool.output("bpftool", "map", "show", "pinned", pin.toString(), "--json"))
                    .get("id").asInt();
            assertEquals(theirs, found.getFirst().id());
            Files.delete(pin);
        } finally {
            ExternalTool.output("umount", fs.toString());
            Files.deleteIfExists(fs);
        }
    }
}
