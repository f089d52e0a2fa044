package io.bpfstore.kernel.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.testing.Oracles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Errno numbers against the C library's (through Python's errno module), and the message format of BpfException. */
class ErrnoTest {

    @Test
    void numbersMatchTheSystemHeaders() {
        StringBuilder script = new StringBuilder("import errno\n");
        for (Errno e : Errno.values()) {
            if (e != Errno.ENOTSUPP) { // kernel-internal (524), in no user-space header
                script.append("print('").append(e.name()).append("', errno.").append(e.name()).append(")\n");
            }
        }
        Map<String, Integer> system = new HashMap<>();
        for (String line : Oracles.run(List.of("python3", "-c", script.toString())).split("\n")) {
            String[] f = line.split(" ");
            system.put(f[0], Integer.parseInt(f[1]));
        }
        for (Errno e : Errno.values()) {
            if (e != Errno.ENOTSUPP) {
                assertEquals(system.get(e.name()), e.number(), e.name());
            }
            assertEquals(Optional.of(e), Errno.of(e.number()));
        }
        assertEquals(Optional.empty(), Errno.of(9999));
    }

    @Test
    void messagesSayWhatWasDoneAndWhatTheErrnoMeans() {
        BpfException plain = BpfException.of("pin map \"m\" (id 3) at /sys/fs/bpf/x",
                new SyscallException(BpfCommand.OBJ_PIN, 17));
        assertEquals("pin map \"m\" (id 3) at /sys/fs/bpf/x: EEXIST — " + Errno.EEXIST.meaning(), plain.getMessage());
        assertEquals(plain.getMessage(), plain.summary());
        BpfException unknown = new BpfException("do something", 9999, null, "");
        assertEquals("do something: errno 9999 — unknown error", unknown.getMessage());
        BpfException withLog = new BpfException("load program \"p\" (xdp)", 13, "the verifier rejected it", "0: (95) exit\nR0 !read_ok\n");
        assertEquals("load program \"p\" (xdp): EACCES — the verifier rejected it", withLog.summary());
        assertTrue(withLog.getMessage().endsWith("verifier log:\n0: (95) exit\nR0 !read_ok"), withLog.getMessage());
    }
}
