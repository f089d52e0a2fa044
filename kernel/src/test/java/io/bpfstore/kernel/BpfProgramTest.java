package io.bpfstore.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.PinDir;
import io.bpfstore.kernel.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static io.bpfstore.kernel.testing.TestCode.exitWithoutResult;
import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loads programs from raw instructions into the running kernel and checks what the kernel and bpftool report. */
@RequiresRoot
class BpfProgramTest {

    @Test
    void xdpProgramReturningTwoTestRunsToTwo() {
        try (BpfProgram prog = BpfProgram.load(ProgramSpec.of("bst_ret2", ProgramType.XDP, returning(2)))) {
            TestRun.Result result = prog.testRun(TestRun.of(new byte[64]));
            assertEquals(2, result.returnValue()); // XDP_PASS
            assertEquals(64, result.data().length);
            ProgramInfo info = prog.info();
            assertEquals(prog.id(), info.id());
            assertEquals("bst_ret2", info.name());
            assertEquals(Optional.of(ProgramType.XDP), info.type());
            assertTrue(info.gplCompatible());
            assertEquals(16, info.bytesXlated());

            JsonNode shown = Oracles.bpftool("prog", "show", "id", Integer.toString(prog.id()));
            assertEquals("xdp", shown.get("type").asText());
            assertEquals("bst_ret2", shown.get("name").asText());
            assertEquals(shown.get("tag").asText(), info.tag());
            assertEquals(shown.get("bytes_xlated").asInt(), info.bytesXlated());
            assertEquals(shown.get("bytes_jited").asInt(), info.bytesJited());
            assertEquals(shown.get("uid").asInt(), info.createdByUid());
            assertTrue(Math.abs(shown.get("loaded_at").asLong() - info.loadedAt().getEpochSecond()) <= 2,
                    "load time " + info.loadedAt() + " vs bpftool " + shown.get("loaded_at"));
            // The kernel's translation of this program is the program itself.
            assertArrayEquals(returning(2), prog.translatedInstructions());
        }
    }

    @Test
    void runStatisticsCountTestRunsAsBpftoolSeesThem() {
        try (BpfProgram prog = BpfProgram.load(ProgramSpec.of("bst_stats", ProgramType.XDP, returning(2)))) {
            try (RunStatistics stats = RunStatistics.enable()) {
                prog.testRun(new TestRun(new byte[64], new byte[0], 25, 0));
            }
            ProgramInfo info = prog.info();
            assertTrue(info.runCount() >= 25, "run_cnt " + info.runCount());
            JsonNode shown = Oracles.bpftool("prog", "show", "id", Integer.toString(prog.id()));
            assertEquals(shown.get("run_cnt").asLong(), info.runCount());
            assertEquals(shown.get("run_time_ns").asLong(), info.runTimeNanos());
        }
    }

    @Test
    void verifierRejectionIsTypedAndCarriesTheLog() {
        // r0 is never written before exit: the verifier refuses with "R0 !read_ok".
        BpfException e = assertThrows(BpfException.class,
                () -> BpfProgram.load(ProgramSpec.of("bst_bad", ProgramType.XDP, exitWithoutResult())));
        assertEquals(Optional.of(Errno.EACCES), e.errno());
        assertTrue(e.verifierLog().contains("R0 !read_ok"), e.verifierLog());
        assertTrue(e.getMessage().startsWith("load program \"bst_bad\" (xdp): EACCES — the verifier rejected it"),
                e.getMessage());
        assertTrue(e.getMessage().contains("R0 !read_ok"), e.getMessage());
    }

    @Test
    void logLevelOneKeepsTheLogOfASuccessfulLoad() {
        try (BpfProgram prog = BpfProgram.load(ProgramSpec.of("bst_log", ProgramType.SOCKET_FILTER,
                returning(0)).withLogLevel(1))) {
            assertTrue(prog.verifierLog().contains("processed 2 insns"), prog.verifierLog());
        }
    }

    @Test
    void pinnedProgramCanBeReopenedAndUnpinned() throws Exception {
        try (PinDir dir = PinDir.create("prog");
             BpfProgram prog = BpfProgram.load(ProgramSpec.of("bst_pin", ProgramType.XDP, returning(1)))) {
            Path pin = dir.resolve("prog");
            prog.pin(pin);
            assertTrue(Files.exists(pin));
            try (BpfProgram again = BpfProgram.openPinned(pin)) {
                assertEquals(prog.id(), again.id());
                assertEquals("bst_pin", again.name());
            }
            BpfException taken = assertThrows(BpfException.class, () -> prog.pin(pin));
            assertEquals(Optional.of(Errno.EEXIST), taken.errno());
            assertTrue(Pins.unpin(pin));
            assertFalse(Pins.unpin(pin));
            BpfException gone = assertThrows(BpfException.class, () -> BpfProgram.openPinned(pin));
            assertEquals(Optional.of(Errno.ENOENT), gone.errno());
            assertTrue(gone.getMessage().startsWith("open pinned program " + pin + ": ENOENT"), gone.getMessage());
        }
    }

    @Test
    void openingByIdSeesTheSameProgramAndClosedFdsAreRefused() {
        BpfProgram prog = BpfProgram.load(ProgramSpec.of("bst_byid", ProgramType.XDP, returning(1)));
        int id = prog.id();
        try (BpfProgram byId = BpfProgram.fromId(id)) {
            assertEquals("bst_byid", byId.name());
        } finally {
            prog.close();
        }
        assertThrows(IllegalStateException.class, () -> prog.fd().value());
        prog.close(); // closing twice is harmless
    }

    @Test
    void refusedFlagsAreExplainedByTheVerifierOrByUs() {
        // Sleepable XDP: the verifier explains the refusal in its log.
        BpfException sleepable = assertThrows(BpfException.class, () -> BpfProgram.load(
                ProgramSpec.of("bst_sleep", ProgramType.XDP, returning(2)).withFlags(1 << 4)));
        assertEquals(Optional.of(Errno.EINVAL), sleepable.errno());
        assertTrue(sleepable.verifierLog().contains("sleepable"), sleepable.verifierLog());
        // A flag bit no kernel defines: refused before the verifier runs, so there is no log; we say which attribute.
        BpfException unknown = assertThrows(BpfException.class, () -> BpfProgram.load(
                ProgramSpec.of("bst_flags", ProgramType.XDP, returning(2)).withFlags(1 << 30)));
        assertEquals("load program \"bst_flags\" (xdp): EINVAL — this kernel does not accept the program flags"
                + " (0x40000000) for this type", unknown.getMessage());
    }

    @Test
    void aProgramTypeTheKernelLacksIsNamedAsSuch() {
        // Whether lirc_mode2 exists depends on CONFIG_BPF_LIRC_MODE2; bpftool's probe says which case we are in.
        boolean present = Oracles.bpftool("feature", "probe", "kernel").get("program_types")
                .get("have_lirc_mode2_prog_type").asBoolean();
        ProgramSpec spec = ProgramSpec.of("bst_lirc", ProgramType.LIRC_MODE2, returning(0))
                .withExpectedAttachType(AttachType.LIRC_MODE2);
        if (present) {
            BpfProgram.load(spec).close();
        } else {
            BpfException e = assertThrows(BpfException.class, () -> BpfProgram.load(spec));
            assertEquals("load program \"bst_lirc\" (lirc_mode2): EINVAL — this kernel does not support program type"
                    + " lirc_mode2 with expected attach type lirc_mode2", e.getMessage());
        }
    }

    @Test
    void specsCompareInstructionsByContent() {
        ProgramSpec a = ProgramSpec.of("a", ProgramType.XDP, returning(2));
        assertEquals(a, ProgramSpec.of("a", ProgramType.XDP, returning(2)));
        assertEquals(a.hashCode(), ProgramSpec.of("a", ProgramType.XDP, returning(2)).hashCode());
        assertFalse(a.equals(ProgramSpec.of("a", ProgramType.XDP, returning(3))));
        assertTrue(a.toString().contains("2 instructions"), a.toString());
    }

    @Test
    void badSpecsAreRefusedBeforeTheKernelSeesThem() {
        assertThrows(IllegalArgumentException.class, () -> ProgramSpec.of("x", ProgramType.XDP, new byte[12]));
        assertThrows(IllegalArgumentException.class, () -> ProgramSpec.of("has space", ProgramType.XDP, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> ProgramSpec.of("a_very_long_name_", ProgramType.XDP, new byte[8]));
    }
}
