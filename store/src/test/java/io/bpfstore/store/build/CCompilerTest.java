package io.bpfstore.store.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bpfstore.bytecode.btf.LineInfo;
import io.bpfstore.bytecode.object.BpfObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled object names its sources relative to the package, not the directory it was built in. */
class CCompilerTest {
    @TempDir
    Path dir;

    @Test
    void lineInfoNamesSourcesRelativeToThePackage() throws Exception {
        Path src = Files.createDirectories(dir.resolve("build-machine/home/alice/pkg"));
        Files.writeString(src.resolve("local.h"), "static int twice(int x) { return 2 * x; }\n");
        Files.writeString(src.resolve("prog.c"), """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                #include "local.h"
                SEC("xdp")
                int prog(struct xdp_md *ctx)
                {
                \treturn twice(ctx->ingress_ifindex) > 4 ? XDP_PASS : XDP_DROP;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        Path out = Files.createDirectories(dir.resolve("out"));
        BpfObject object = BpfObject.read(CCompiler.onPath().compile(src.resolve("prog.c"), out, List.of()));
        Set<String> files = new TreeSet<>();
        for (List<LineInfo> lines : object.btfExt().orElseThrow().lineInfos().values()) {
            lines.forEach(l -> files.add(l.fileName()));
        }
        assertFalse(files.isEmpty());
        for (String f : files) {
            assertFalse(f.contains(dir.toString()), "the build directory leaked into the line info: " + files);
        }
        assertEquals(true, files.contains("./prog.c"), files.toString());
    }
}
