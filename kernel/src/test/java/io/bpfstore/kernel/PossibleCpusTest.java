package io.bpfstore.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;

/** CPU lists as /sys/devices/system/cpu writes them; the online CPUs against getconf(1). */
class PossibleCpusTest {

    @Test
    void listsAreReadAsTheKernelWritesThem() {
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 9}, PossibleCpus.members("0-3,8-9"));
        assertArrayEquals(new int[] {0}, PossibleCpus.members("0"));
        assertArrayEquals(new int[] {0, 2, 5, 6}, PossibleCpus.members("0,2,5-6\n".strip()));
        assertEquals(10, PossibleCpus.parse("0-3,8-9"));
    }

    @Test
    void onlineCpusAreWhatGetconfCounts() {
        int online = Integer.parseInt(ExternalTool.output("getconf", "_NPROCESSORS_ONLN").strip());
        assertEquals(online, PossibleCpus.online().length);
        assertEquals(true, PossibleCpus.online().length <= PossibleCpus.count());
    }
}
