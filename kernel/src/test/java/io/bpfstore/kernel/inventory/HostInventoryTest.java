package io.bpfstore.kernel.inventory;

import static io.bpfstore.kernel.testing.TestCode.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.asm.CodeBuilder;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.BtfHandle;
import io.bpfstore.kernel.BtfInfo;
import io.bpfstore.kernel.Cgroup;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.MapSpec;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.ProgramSpec;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.testing.Oracles;
import io.bpfstore.kernel.testing.RequiresRoot;
import io.bpfstore.kernel.testing.TinyBtf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loads a map, two programs, a BTF object and a cgroup link (on an empty cgroup this test creates), then
 * compares the host inventory with bpftool prog/map/link/btf show. Objects of other processes come and go
 * during the run, so everything is compared on the ids both sides saw; ours must be on both sides.
 */
@RequiresRoot
class HostInventoryTest {

    static Path cgroup2Root() {
        return CgroupScan.cgroup2Root()
                .orElseThrow(() -> new AssertionError("no cgroup2 hierarchy is mounted; cgroup link tests need one"));
    }

    /**
     * bpftool prints a type by name when its libbpf (1.1 here) knows it and as a number otherwise (tcx links,
     * netfilter programs, arena maps ...): compare whichever it printed.
     */
    private static void assertType(JsonNode theirs, int number, String name, String what) {
        if (theirs.isNumber()) {
            assertEquals(theirs.asInt(), number, "type of " + what);
        } else {
            assertEquals(theirs.asText(), name, "type of " + what);
        }
    }

    private static java.util.Set<String> scanned(Path root) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (CgroupAttachment a : CgroupScan.scan(root)) {
            out.add(a.cgroup() + " " + a.programId() + " " + a.attachType().libbpfName());
        }
        return out;
    }

    private static java.util.Set<String> cgroupTree(Path root) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (JsonNode cg : Oracles.bpftool("cgroup", "tree", root.toString())) {
            for (JsonNode p : cg.get("programs")) {
                out.add(cg.get("cgroup").asText() + " " + p.get("id").asInt() + " " + p.get("attach_type").asText());
            }
        }
        return out;
    }

    private static Map<Integer, JsonNode> byId(JsonNode array) {
        Map<Integer, JsonNode> out = new HashMap<>();
        array.forEach(n -> out.put(n.get("id").asInt(), n));
        return out;
    }

    @Test
    void inventoryMatchesBpftool() throws IOException {
        Path dir = cgroup2Root().resolve("bst-test-" + ProcessHandle.current().pid() + "-inventory");
        Files.createDirectory(dir);
        try (Cgroup cgroup = Cgroup.open(dir);
             BpfMap map = BpfMap.create(MapSpec.of("bst_inv_map", MapType.HASH, 4, 4, 8));
             BpfProgram prog = BpfProgram.load(ProgramSpec.of("bst_inv_prog", ProgramType.CGROUP_SKB,
                     new CodeBuilder().loadMapFd(Register.R1, map.fd().value()).mov64(Register.R0, 1).exit().bytes())
                     .withExpectedAttachType(AttachType.CGROUP_INET_INGRESS));
             BpfProgram other = BpfProgram.load(ProgramSpec.of("bst_inv_other", ProgramType.CGROUP_SKB,
                     returning(1)).withExpectedAttachType(AttachType.CGROUP_INET_INGRESS));
             BtfHandle btf = BtfHandle.load(TinyBtf.intOnly());
             BpfLink link = BpfLink.create(prog, cgroup.fd().value(), AttachType.CGROUP_INET_INGRESS, 0)) {

            LinkInfo linkInfo = link.info();
            assertEquals(new LinkTarget.Cgroup(cgroup.id(), AttachType.CGROUP_INET_INGRESS.number()), linkInfo.target());
            assertEquals(prog.id(), linkInfo.programId());
            assertEquals(List.of(prog.id()),
                    AttachedPrograms.query(cgroup.fd().value(), AttachType.CGROUP_INET_INGRESS, false).programIds());
            link.update(other);
            assertEquals(other.id(), link.info().programId());
            assertEquals(List.of(other.id()),
                    AttachedPrograms.query(cgroup.fd().value(), AttachType.CGROUP_INET_INGRESS, false).programIds());
            link.update(other, prog);
            assertEquals(prog.id(), link.info().programId());

            HostInventory inventory = HostInventory.scan();
            Map<Integer, JsonNode> progs = byId(Oracles.bpftool("prog", "show"));
            Map<Integer, JsonNode> maps = byId(Oracles.bpftool("map", "show"));
            Map<Integer, JsonNode> links = byId(Oracles.bpftool("link", "show"));
            Map<Integer, JsonNode> btfs = byId(Oracles.bpftool("btf", "show"));

            for (int id : List.of(prog.id(), other.id())) {
                assertTrue(inventory.program(id).isPresent(), "program " + id + " missing from our inventory");
                assertTrue(progs.containsKey(id), "program " + id + " missing from bpftool's");
            }
            assertEquals(List.of(map.id()), inventory.program(prog.id()).orElseThrow().mapIds());
            assertTrue(inventory.map(map.id()).isPresent() && maps.containsKey(map.id()));
            assertTrue(inventory.link(link.id()).isPresent() && links.containsKey(link.id()));
            assertTrue(inventory.btf().stream().anyMatch(b -> b.id() == btf.id()) && btfs.containsKey(btf.id()));

            int compared = 0;
            for (ProgramInfo p : inventory.programs()) {
                JsonNode b = progs.get(p.id());
                if (b == null) {
                    continue; // gone before bpftool looked
                }
                compared++;
                assertType(b.get("type"), p.typeNumber(), p.typeName(), "program " + p.id());
                assertTrue(b.get("name") == null ? p.name().isEmpty() : b.get("name").asText().startsWith(p.name()),
                        "name of program " + p.id() + ": " + p.name() + " vs " + b.get("name"));
                assertEquals(b.get("tag").asText(), p.tag(), "tag of program " + p.id());
                assertEquals(b.get("uid").asInt(), p.createdByUid(), "uid of program " + p.id());
                assertEquals(b.get("bytes_xlated").asInt(), p.bytesXlated(), "bytes_xlated of program " + p.id());
                assertEquals(b.get("gpl_compatible").asBoolean(), p.gplCompatible());
                List<Integer> theirMaps = b.has("map_ids")
                        ? java.util.stream.StreamSupport.stream(b.get("map_ids").spliterator(), false).map(JsonNode::asInt).toList()
                        : List.of();
                assertEquals(theirMaps, p.mapIds(), "map ids of program " + p.id());
            }
            for (MapInfo m : inventory.maps()) {
                JsonNode b = maps.get(m.id());
                if (b == null) {
                    continue;
                }
                compared++;
                assertType(b.get("type"), m.typeNumber(), m.typeName(), "map " + m.id());
                assertEquals(b.has("name") ? b.get("name").asText() : "", m.name(), "name of map " + m.id());
                assertEquals(b.get("bytes_key").asInt(), m.keySize());
                assertEquals(b.get("bytes_value").asInt(), m.valueSize());
                assertEquals(b.get("max_entries").asInt(), m.maxEntries());
            }
            for (LinkInfo l : inventory.links()) {
                JsonNode b = links.get(l.id());
                if (b == null) {
                    continue;
                }
                compared++;
                assertType(b.get("type"), l.typeNumber(), l.typeName(), "link " + l.id());
                assertEquals(b.get("prog_id").asInt(), l.programId(), "program of link " + l.id());
                if (l.target() instanceof LinkTarget.Cgroup c) {
                    assertEquals(b.get("cgroup_id").asLong(), c.cgroupId());
                    assertType(b.get("attach_type"), c.attachType(), AttachType.nameOf(c.attachType()), "link " + l.id());
                }
            }
            for (BtfInfo t : inventory.btf()) {
                JsonNode b = btfs.get(t.id());
                if (b == null) {
                    continue;
                }
                compared++;
                assertEquals(b.get("size").asInt(), t.size(), "size of BTF " + t.id());
                assertEquals(b.has("name") ? b.get("name").asText() : "", t.name(), "name of BTF " + t.id());
                assertEquals(b.get("kernel").asBoolean(), t.kernelBtf());
            }
            assertTrue(compared >= 6, "compared only " + compared + " objects");

            JsonNode attached = Oracles.bpftool("cgroup", "show", dir.toString());
            assertEquals(1, attached.size());
            assertEquals(prog.id(), attached.get(0).get("id").asInt());

            // The cgroup tree scan against bpftool cgroup tree: same (cgroup, program, hook) triples. Exact on
            // our own subtree; on the whole tree (where other processes may attach meanwhile) ours must be seen.
            assertEquals(cgroupTree(dir), scanned(dir));
            assertTrue(scanned(cgroup2Root()).contains(dir + " " + prog.id() + " cgroup_inet_ingress"));
            assertTrue(cgroupTree(cgroup2Root()).contains(dir + " " + prog.id() + " cgroup_inet_ingress"));
            try (io.bpfstore.kernel.testing.PinDir pins = io.bpfstore.kernel.testing.PinDir.create("link")) {
                Path pin = pins.resolve("link");
                link.pin(pin);
                try (BpfLink again = BpfLink.openPinned(pin)) {
                    assertEquals(link.id(), again.id());
                    assertEquals(prog.id(), again.info().programId());
                }
            }
            link.detach();
            assertEquals(List.of(), AttachedPrograms.query(cgroup.fd().value(), AttachType.CGROUP_INET_INGRESS, false).programIds());
        } finally {
            Files.delete(dir);
        }
    }
}
