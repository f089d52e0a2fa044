package io.bpfstore.registry.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageLabelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PackageLabels labels = new PackageLabels();

    private static byte[] config(String packageLabel, String programsLabel) throws Exception {
        ObjectNode c = JSON.createObjectNode();
        ObjectNode l = c.putObject("config").putObject("Labels");
        if (packageLabel != null) {
            l.put(PackageLabels.PACKAGE, packageLabel);
        }
        if (programsLabel != null) {
            l.put(PackageLabels.PROGRAMS, programsLabel);
        }
        return JSON.writeValueAsBytes(c);
    }

    @Test
    void readsTheContractExample() throws Exception {
        String meta = """
                {"name":"xdp-counter","namespace":"examples","version":"1.2.0","description":"d",
                 "license":"GPL-2.0-only","requirements":{"program_types":["xdp"],"map_types":["percpu_array"],
                 "helpers":["bpf_map_lookup_elem"],"kfuncs":[],"attach_types":["xdp"],"btf":true},
                 "programs":[{"name":"xdp_count","section":"xdp","type":"xdp","attach_type":"xdp",
                 "helpers":["bpf_ktime_get_ns"]}]}""";
        PackageRelease r = labels.read(config(meta, "{\"xdp_count\":\"xdp\",\"tc_f\":\"TCX\"}"), "examples/xdp-counter",
                "1.2.0", "sha256:" + "a".repeat(64)).orElseThrow();
        assertEquals(List.of("tcx", "xdp"), r.programTypes());
        assertEquals(List.of("xdp"), r.attachTypes());
        assertEquals(List.of("bpf_ktime_get_ns", "bpf_map_lookup_elem"), r.helpers());
        assertEquals("GPL-2.0-only", r.license());
        assertEquals(JSON.readTree(meta), JSON.readTree(r.metadata()));
    }

    @Test
    void nonPackagesAndNonSemverTagsAreNotIndexedAndNonJsonIsRefused() throws Exception {
        String meta = "{\"name\":\"a\",\"namespace\":\"ns\"}";
        assertTrue(labels.read(config(null, null), "ns/a", "1.0.0", "d").isEmpty());
        // a config that is not JSON is refused (the push checks refuse it first), never taken for "not a package"
        assertThrows(InvalidPackageException.class,
                () -> labels.read("not json".getBytes(StandardCharsets.UTF_8), "ns/a", "1.0.0", "d"));
        assertTrue(labels.read(config(meta, null), "ns/a", "latest", "d").isEmpty());
        assertTrue(labels.read(config(meta, null), "ns/a", "1.0.0", "d").isPresent());
    }

    @Test
    void malformedPackageLabelsAreTypedErrorsNamingTheField() throws Exception {
        record Case(String meta, String programs, String repo, String expected) {
        }
        for (Case c : List.of(
                new Case("{oops", null, "ns/a", "label io.bpfstore.package: not valid JSON"),
                new Case("[1]", null, "ns/a", "not a JSON object"),
                new Case("{\"name\":\"b\",\"namespace\":\"ns\"}", null, "ns/a", "field name is \"b\""),
                new Case("{\"name\":\"a\",\"namespace\":\"ns\",\"version\":\"2.0.0\"}", null, "ns/a", "field version"),
                new Case("{\"name\":\"a\",\"namespace\":\"ns\"}", null, "a", "NAMESPACE/NAME"),
                new Case("{\"name\":\"a\",\"namespace\":\"ns\",\"requirements\":{\"helpers\":\"x\"}}", null, "ns/a",
                        "requirements.helpers is not an array"),
                new Case("{\"name\":\"a\",\"namespace\":\"ns\",\"programs\":[{\"helpers\":[1]}]}", null, "ns/a",
                        "programs[].helpers holds a non-string"),
                new Case("{\"name\":\"a\",\"namespace\":\"ns\"}", "[\"xdp\"]", "ns/a", "io.ebpf.programs"))) {
            InvalidPackageException e = assertThrows(InvalidPackageException.class,
                    () -> labels.read(config(c.meta(), c.programs()), c.repo(), "1.0.0", "d"), c.meta());
            assertTrue(e.getMessage().contains(c.expected()), e.getMessage());
        }
    }
}
