package io.bpfstore.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.RequiresRoot;
import io.bpfstore.kernel.testing.TinyBtf;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads BTF into the kernel and reads kernel BTF, compared with bpftool btf show. */
@RequiresRoot
class BtfHandleTest {

    @Test
    void loadedBtfIsVisibleToBpftool() {
        byte[] raw = TinyBtf.intOnly();
        try (BtfHandle btf = BtfHandle.load(raw)) {
            assertEquals(raw.length, btf.info().size());
            assertFalse(btf.info().kernelBtf());
            JsonNode shown = Oracles.bpftool("btf", "show", "id", Integer.toString(btf.id()));
            assertEquals(raw.length, shown.get("size").asInt());
            assertFalse(shown.get("kernel").asBoolean());
            String dump = Oracles.run(java.util.List.of("bpftool", "btf", "dump", "id", Integer.toString(btf.id())));
            assertTrue(dump.contains("[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED"), dump);
        }
    }

    @Test
    void vmlinuxBtfIsOpenableById() {
        JsonNode all = Oracles.bpftool("btf", "show");
        JsonNode vmlinux = null;
        for (JsonNode n : all) {
            if ("vmlinux".equals(n.path("name").asText())) {
                vmlinux = n;
            }
        }
        assertTrue(vmlinux != null, "bpftool shows no vmlinux BTF: " + all);
        try (BtfHandle btf = BtfHandle.fromId(vmlinux.get("id").asInt())) {
            assertEquals("vmlinux", btf.info().name());
            assertTrue(btf.info().kernelBtf());
            assertEquals(vmlinux.get("size").asInt(), btf.info().size());
        }
    }

    @Test
    void badBtfIsRejectedWithTheKernelsLog() {
        byte[] raw = TinyBtf.intOnly();
        raw[24 + 12] = 64; // INT with 64 bits in a 4-byte type: invalid
        BpfException e = assertThrows(BpfException.class, () -> BtfHandle.load(raw));
        assertEquals(Optional.of(Errno.EINVAL), e.errno());
        assertTrue(e.getMessage().startsWith("load BTF (" + raw.length + " bytes): EINVAL — the kernel rejected the BTF"),
                e.getMessage());
        assertFalse(e.verifierLog().isBlank());
    }
}
