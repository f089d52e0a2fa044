package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Source file names in listings, relative to the package's directory. */
class SourcePathsTest {
    @Test
    void pathsBecomeRelativeToTheMainSourcesDirectory() {
        List<String> listing = List.of(
                "0000000000000000 <prog>:",
                "; int x = 1; @ /home/alice/build/src/prog.c:10:2",
                "       0:\tb7 01 00 00 01 00 00 00\tr1 = 0x1",
                "; y(); @ /home/alice/build/src/prog.c:11:2",
                "; struct s; @ /home/alice/build/src/include/common.h:3:1",
                "; helper @ /usr/include/bpf/bpf_helpers.h:20:1",
                "; types @ /usr/include/x86_64-linux-gnu/asm/types.h:5:1",
                "; other @ /opt/vendor/lib.h:7:1",
                "; already @ ./prog.c:12:1");
        assertEquals(List.of(
                "0000000000000000 <prog>:",
                "; int x = 1; @ prog.c:10:2",
                "       0:\tb7 01 00 00 01 00 00 00\tr1 = 0x1",
                "; y(); @ prog.c:11:2",
                "; struct s; @ include/common.h:3:1",
                "; helper @ bpf/bpf_helpers.h:20:1",
                "; types @ asm/types.h:5:1",
                "; other @ lib.h:7:1",
                "; already @ prog.c:12:1"), SourcePaths.relativize(listing));
        assertEquals(List.of("no source lines"), SourcePaths.relativize(List.of("no source lines")));
    }
}
