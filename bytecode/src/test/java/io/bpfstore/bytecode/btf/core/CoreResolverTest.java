package io.bpfstore.bytecode.btf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.CoreRelocation;
import io.bpfstore.bytecode.btf.CoreRelocationKind;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * CO-RE decisions from BTF alone, without a kernel: the example {@code core_task.o} against this machine's
 * vmlinux BTF read as a file (offsets checked against bpftool's dump of the same file), against its own BTF
 * (every value stays as compiled) and against a BTF that lacks its types (every relocation is missing).
 */
class CoreResolverTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static BpfObject coreTask() throws Exception {
        return BpfObject.read(ExampleObjects.dir().resolve("core_task.o"));
    }

    private static List<CoreRelocation> relocations(BpfObject object) {
        return object.btfExt().orElseThrow().coreRelocations().values().stream().flatMap(List::stream).toList();
    }

    @Test
    void fieldOffsetsAgreeWithBpftoolsDumpOfVmlinux() throws Exception {
        BpfObject object = coreTask();
        Btf local = object.btf().orElseThrow();
        Btf vmlinux = Btf.parse(Files.readAllBytes(VMLINUX));
        BpftoolDump oracle = BpftoolDump.of(VMLINUX);
        CoreResolver resolver = new CoreResolver(local, () -> vmlinux);
        int offsets = 0;
        for (CoreRelocation r : relocations(object)) {
            CoreResult result = resolver.resolve(r);
            assertFalse(result.missing(), "this kernel has " + resolver.describe(r));
            if (r.kind() == CoreRelocationKind.FIELD_BYTE_OFFSET) {
                assertEquals(oracle.byteOffset(memberPath(local, r)), result.newVal(), resolver.describe(r));
                offsets++;
            }
        }
        assertTrue(offsets >= 7, "core_task reads at least seven fields, saw " + offsets);
    }

    @Test
    void againstItsOwnBtfEveryValueStaysAsCompiled() throws Exception {
        BpfObject object = coreTask();
        Btf local = object.btf().orElseThrow();
        CoreResolver resolver = new CoreResolver(local, () -> local);
        for (CoreRelocation r : relocations(object)) {
            CoreResult result = resolver.resolve(r);
            assertFalse(result.missing(), resolver.describe(r));
            assertEquals(result.origVal(), result.newVal(), resolver.describe(r));
        }
    }

    @Test
    void againstBtfWithoutTheTypesEveryRelocationIsMissingAndNamed() throws Exception {
        BpfObject object = coreTask();
        Btf local = object.btf().orElseThrow();
        Btf other = BpfObject.read(ExampleObjects.dir().resolve("xdp_counter.o")).btf().orElseThrow();
        CoreResolver resolver = new CoreResolver(local, () -> other);
        List<CoreRelocation> all = relocations(object);
        assertFalse(all.isEmpty());
        for (CoreRelocation r : all) {
            CoreResult result = resolver.resolve(r);
            assertTrue(result.missing(), resolver.describe(r));
            String missing = resolver.missing(r, result);
            assertTrue(missing.startsWith("field task_struct.") || missing.startsWith("field cred."), missing);
        }
    }

    @Test
    void kernelTypesAreCompatibleWithThemselvesAndNotWithOtherKinds() throws Exception {
        Btf vmlinux = Btf.parse(Files.readAllBytes(VMLINUX));
        int task = vmlinux.types().stream().filter(t -> t.name().equals("task_struct")).findFirst().orElseThrow().id();
        int cred = vmlinux.types().stream().filter(t -> t.name().equals("cred")).findFirst().orElseThrow().id();
        int u32 = vmlinux.types().stream().filter(t -> t.name().equals("u32")).findFirst().orElseThrow().id();
        int depth = TypeCompatibility.MAX_DEPTH;
        assertTrue(TypeCompatibility.typesCompatible(vmlinux, task, vmlinux, task, depth));
        assertTrue(TypeCompatibility.typesMatch(vmlinux, task, vmlinux, task, false, depth));
        assertTrue(TypeCompatibility.typesCompatible(vmlinux, task, vmlinux, cred, depth),
                "structs are compatible by kind alone (libbpf: members are checked by the access path)");
        assertFalse(TypeCompatibility.typesMatch(vmlinux, task, vmlinux, cred, false, depth), "names differ");
        assertFalse(TypeCompatibility.typesCompatible(vmlinux, task, vmlinux, u32, depth));
    }

    /** The member names a field relocation walks, e.g. {@code [cred, uid, val]}. */
    private static List<String> memberPath(Btf local, CoreRelocation r) {
        String[] access = r.accessString().split(":");
        BtfType t = local.resolve(r.typeId());
        java.util.ArrayList<String> path = new java.util.ArrayList<>(List.of(t.name()));
        for (int i = 1; i < access.length; i++) {
            BtfType.Member m = ((BtfType.Composite) t).members().get(Integer.parseInt(access[i]));
            path.add(m.name());
            t = local.resolve(m.type());
        }
        return path;
    }

    /** bpftool's text dump of a BTF file: structs' members with type ids and bit offsets, typedefs' targets. */
    private record BpftoolDump(Map<String, Integer> structIds, Map<Integer, Map<String, long[]>> members,
                               Map<Integer, Integer> typedefs) {
        private static final Pattern TYPE = Pattern.compile("^\\[(\\d+)] (STRUCT|TYPEDEF|UNION) '([^']*)'.*?(?:type_id=(\\d+))?$");
        private static final Pattern MEMBER = Pattern.compile("^\\s+'([^']*)' type_id=(\\d+) bits_offset=(\\d+)");

        static BpftoolDump of(Path file) {
            Map<String, Integer> ids = new HashMap<>();
            Map<Integer, Map<String, long[]>> members = new HashMap<>();
            Map<Integer, Integer> typedefs = new HashMap<>();
            Map<String, long[]> current = null;
            for (String line : ExternalTool.output("bpftool", "btf", "dump", "file", file.toString()).split("\n")) {
                Matcher m = MEMBER.matcher(line);
                if (current != null && m.find()) {
                    current.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
                    continue;
                }
                current = null;
                Matcher t = TYPE.matcher(line);
                if (t.find()) {
                    int id = Integer.parseInt(t.group(1));
                    if (t.group(2).equals("TYPEDEF")) {
                        typedefs.put(id, Integer.parseInt(t.group(4)));
                    } else {
                        ids.putIfAbsent(t.group(3), id);
                        current = new HashMap<>();
                        members.put(id, current);
                    }
                }
            }
            return new BpftoolDump(ids, members, typedefs);
        }

        /** The byte offset of a member path from its root struct, following typedefs between the steps. */
        long byteOffset(List<String> path) {
            int id = structIds.get(path.getFirst());
            long bits = 0;
            for (String name : path.subList(1, path.size())) {
                while (typedefs.containsKey(id)) {
                    id = typedefs.get(id);
                }
                long[] member = members.get(id).get(name);
                bits += member[1];
                id = (int) member[0];
            }
            return bits / 8;
        }
    }
}
