package io.bpfstore.kernel.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.testing.Oracles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares our probes with {@code bpftool feature probe kernel --json}.
 *
 * <p>The one known, exact difference: bpftool 7.1 (libbpf 1.1) recognizes a helper refusal only by the
 * words "invalid func"/"unknown func"; kernels since 6.13 say "program of this type cannot use helper", so
 * that bpftool lists every helper as available for every type. Each helper bpftool lists and we do not must
 * therefore be refused with exactly that message; every helper we list, bpftool must list too.
 */
class FeatureProbeTest {
    private static final String NEW_REFUSAL = "program of this type cannot use helper ";
    private static JsonNode bpftool;
    private static KernelFeatures ours;

    @BeforeAll
    static void probe() {
        Oracles.requireRoot();
        bpftool = Oracles.bpftool("feature", "probe", "kernel");
        ours = FeatureProbe.probeAll(ProbeCache.currentBootId());
    }

    private static String stripped(String key, String prefix, String suffix) {
        assertTrue(key.startsWith(prefix) && key.endsWith(suffix), key);
        return key.substring(prefix.length(), key.length() - suffix.length());
    }

    @Test
    void programTypesMatchBpftool() {
        compareTypes("program_types", "_prog_type", "program type", ProgramType::fromBpftoolName, ours::programType);
    }

    @Test
    void mapTypesMatchBpftool() {
        compareTypes("map_types", "_map_type", "map type", MapType::fromBpftoolName, ours::mapType);
    }

    /**
     * Each {@code have_NAME<suffix>} of bpftool's {@code section} against our probe of that type: usable exactly when
     * bpftool says so, and at least 30 of them compared.
     */
    private static <T> void compareTypes(String section, String suffix, String noun,
                                         Function<String, Optional<T>> byBpftoolName, Function<T, Support> probed) {
        int compared = 0;
        for (Map.Entry<String, JsonNode> e : bpftool.get(section).properties()) {
            String name = stripped(e.getKey(), "have_", suffix);
            T type = byBpftoolName.apply(name).orElseThrow(() -> new AssertionError("unknown " + noun + " " + name));
            Support status = probed.apply(type);
            assertEquals(e.getValue().asBoolean(), status.usable(), name + ": ours " + status);
            compared++;
        }
        assertTrue(compared >= 30, "bpftool reported only " + compared + " " + noun + "s");
    }

    @Test
    void miscFeaturesMatchBpftool() {
        Set<MiscFeature> compared = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : bpftool.get("misc").properties()) {
            String name = stripped(e.getKey(), "have_", "");
            // Newer bpftools probe more (e.g. later ISA versions); we compare the ones we probe.
            MiscFeature.named(name).ifPresent(feature -> {
                assertEquals(e.getValue().asBoolean(), ours.has(feature), name);
                compared.add(feature);
            });
        }
        assertEquals(Set.of(MiscFeature.values()), compared, "bpftool did not report all of our misc features");
    }

    @Test
    void helpersMatchBpftoolExceptWhereTheKernelUsesWordsLibbpfDoesNotKnow() {
        Set<Integer> probedByBpftool = new HashSet<>();
        bpftool.get("helpers").forEach(list -> list.forEach(h -> probedByBpftool.add(id(h.asText()))));
        List<String> problems = new ArrayList<>();
        int newWording = 0;
        for (Map.Entry<String, JsonNode> e : bpftool.get("helpers").properties()) {
            String name = stripped(e.getKey(), "", "_available_helpers");
            ProgramType type = ProgramType.fromBpftoolName(name).orElseThrow(() -> new AssertionError("unknown program type " + name));
            Set<Integer> theirs = new TreeSet<>();
            e.getValue().forEach(h -> theirs.add(id(h.asText())));
            Set<Integer> mine = ours.helpers(type);
            for (int id : mine) {
                if (probedByBpftool.contains(id) && !theirs.contains(id)) {
                    problems.add(name + ": we list " + HelperNames.nameOf(id) + ", bpftool does not");
                }
            }
            for (int id : theirs) {
                if (mine.contains(id)) {
                    continue;
                }
                FeatureProbe.Verdict verdict = FeatureProbe.helper(type, id);
                if (verdict.log().contains(NEW_REFUSAL)) {
                    newWording++;
                } else {
                    problems.add(name + ": bpftool lists " + HelperNames.nameOf(id) + ", we say " + verdict.support()
                            + " (errno " + verdict.errno() + ", log: " + verdict.log().strip() + ")");
                }
            }
            if (!ours.programType(type).usable() || !FeatureProbe.helpersProbeable(type)) {
                assertTrue(mine.isEmpty(), name);
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " differences:\n" + String.join("\n", problems));
        }
        // The comparison is meaningful only if both sides probed helpers at all.
        assertTrue(ours.helpers(ProgramType.XDP).size() > 50, "xdp helpers: " + ours.helpers(ProgramType.XDP).size());
        assertTrue(ours.hasHelper(ProgramType.XDP, HelperNames.idOf("bpf_xdp_adjust_head").orElseThrow()));
        assertTrue(!ours.hasHelper(ProgramType.XDP, HelperNames.idOf("bpf_skb_load_bytes").orElseThrow()));
        System.out.println("helper differences explained by the new verifier wording: " + newWording);
    }

    private static int id(String helperName) {
        return HelperNames.idOf(helperName).orElseThrow(() -> new AssertionError("bpftool names a helper we do not: " + helperName));
    }
}
