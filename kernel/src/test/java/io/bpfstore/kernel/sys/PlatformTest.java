package io.bpfstore.kernel.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The architecture check: known architectures map to their bpf(2) numbers, everything else is refused clearly. */
class PlatformTest {

    @Test
    void knownArchitectures() {
        assertEquals(321, Platform.detect("Linux", "amd64").bpfSyscallNumber());
        assertEquals(321, Platform.detect("Linux", "x86_64").bpfSyscallNumber());
        assertEquals(280, Platform.detect("Linux", "aarch64").bpfSyscallNumber());
    }

    @Test
    void otherArchitecturesAndSystemsAreRefused() {
        UnsupportedPlatformException riscv = assertThrows(UnsupportedPlatformException.class,
                () -> Platform.detect("Linux", "riscv64"));
        assertTrue(riscv.getMessage().contains("riscv64") && riscv.getMessage().contains("x86_64 (321)"), riscv.getMessage());
        assertThrows(UnsupportedPlatformException.class, () -> Platform.detect("Mac OS X", "aarch64"));
        assertThrows(UnsupportedPlatformException.class, () -> Platform.detect("Linux", "x86"));
    }

    @Test
    void theRunningPlatformMatchesUname() {
        String machine = io.bpfstore.kernel.testing.Oracles.run(java.util.List.of("uname", "-m")).strip();
        assertEquals(machine.equals("x86_64") ? Platform.X86_64 : Platform.AARCH64, Platform.current());
    }
}
