package io.bpfstore.registry.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemVerTest {
    @Test
    void precedenceFollowsSemverOrgExample() {
        // The ordering example of semver.org section 11, shuffled and sorted back.
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0", "1.11.0", "2.0.0");
        List<SemVer> parsed = new ArrayList<>(ordered.stream().map(v -> SemVer.parse(v).orElseThrow()).toList());
        Collections.shuffle(parsed, new java.util.Random(3));
        Collections.sort(parsed);
        assertEquals(ordered, parsed.stream().map(SemVer::text).toList());
        assertEquals(0, SemVer.parse("1.0.0+build.1").orElseThrow().compareTo(SemVer.parse("1.0.0").orElseThrow()));
    }

    @Test
    void rejectsWhatIsNotASemanticVersion() {
        for (String bad : List.of("", "1", "1.0", "01.0.0", "1.0.0-", "1.0.0-01", "v1.0.0", "latest", "1.0.0 ",
                "1.0.0-a..b", "99999999999999999999.0.0")) {
            assertTrue(SemVer.parse(bad).isEmpty(), bad);
        }
    }
}
