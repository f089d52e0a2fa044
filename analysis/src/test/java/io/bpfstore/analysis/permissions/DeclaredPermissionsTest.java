package io.bpfstore.analysis.permissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.object.BpfObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One vocabulary: ids and plain names parse to the same permissions; the publish check names instructions. */
class DeclaredPermissionsTest {
    @TempDir
    Path work;

    @Test
    void idsAndPlainNamesAreUniqueAndParseBack() {
        Set<String> seen = new HashSet<>();
        Pattern id = Pattern.compile("[a-z]+(?:-[a-z]+)*");
        for (Permission p : Permission.values()) {
            assertTrue(id.matcher(p.id()).matches(), p.id());
            assertTrue(seen.add(p.id()), "duplicate id " + p.id());
            assertTrue(seen.add(p.description()), "duplicate name " + p.description());
            assertEquals(p, Permission.named(p.id()).orElseThrow());
            assertEquals(p, Permission.named(p.description()).orElseThrow());
        }
        DeclaredPermissions d = DeclaredPermissions.parse(List.of("drops packets", "inspects-interface-packets"));
        assertEquals(EnumSet.of(Permission.INSPECTS_INTERFACE_PACKETS, Permission.DROPS_PACKETS), d.permissions());
        assertEquals(List.of("inspects-interface-packets", "drops-packets"), d.ids());
        UnknownPermissionException e = assertThrows(UnknownPermissionException.class,
                () -> DeclaredPermissions.parse(List.of("drops-packets", "net:xdp")));
        assertEquals(1, e.index());
        assertTrue(e.getMessage().contains("\"net:xdp\"") && e.getMessage().contains("writes-process-memory"),
                e.getMessage());
    }

    @Test
    void undeclaredProbeWriteUserIsNamedWithItsInstructionAndLine() throws Exception {
        Path c = work.resolve("poke.c");
        Files.writeString(c, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>

                SEC("tracepoint/syscalls/sys_enter_write")
                int poke(void *ctx)
                {
                	char msg[4] = "hi!";
                	bpf_probe_write_user((void *)0x1000, msg, sizeof(msg));
                	return 0;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        Path o = work.resolve("poke.o");
        Process p = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu",
                "-c", c.toString(), "-o", o.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        BpfObject object = BpfObject.parse(Files.readAllBytes(o), "poke");
        Map<String, ProgramPermissions> derived = PermissionAnalyzer.derive(object);

        DeclaredPermissions partial = DeclaredPermissions.parse(List.of("observes-kernel-events"));
        List<Evidence> missing = partial.undeclared(derived);
        assertEquals(List.of(Permission.WRITES_PROCESS_MEMORY), missing.stream().map(Evidence::permission).toList());
        String text = DeclaredPermissions.explain(missing);
        assertTrue(text.contains("writes-process-memory (writes process memory), needs CAP_SYS_ADMIN"), text);
        assertTrue(Pattern.compile("program poke, insn \\d+: call 0x24 at poke\\.c:8; calls bpf_probe_write_user")
                .matcher(text).find(), text);

        assertTrue(DeclaredPermissions.derivedFrom(derived).undeclared(derived).isEmpty());
    }
}
