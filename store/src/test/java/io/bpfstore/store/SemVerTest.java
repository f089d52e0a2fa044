package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.InvalidNameException;
import io.bpfstore.store.image.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The examples of the Semantic Versioning 2.0.0 specification (semver.org), sections 2, 9, 10 and 11. */
class SemVerTest {
    @Test
    void precedenceIsSection11sChain() {
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
        List<SemVer> shuffled = new ArrayList<>(ordered.stream().map(SemVer::new).toList());
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(SemVer::text).toList());
    }

    @Test
    void coreComparesNumericallyNotAsText() {
        // §11.2: 1.0.0 < 2.0.0 < 2.1.0 < 2.1.1; numbers beyond a long still compare.
        List<String> ordered = List.of("1.0.0", "1.9.0", "1.10.0", "1.11.0", "2.0.0", "2.1.0", "2.1.1",
                "99999999999999999999.0.0");
        List<SemVer> shuffled = new ArrayList<>(ordered.stream().map(SemVer::new).toList());
        Collections.shuffle(shuffled, new Random(3));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(SemVer::text).toList());
    }

    @Test
    void buildMetadataIsParsedButNeverOrders() {
        // §10's examples; "1.0.0-alpha+001" and "1.0.0-alpha" have the same precedence.
        for (String v : List.of("1.0.0-alpha+001", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
                "1.0.0+21AF26D3----117B344092BD")) {
            assertTrue(SemVer.isValid(v), v);
        }
        assertEquals(0, new SemVer("1.0.0-alpha+001").compareTo(new SemVer("1.0.0-alpha")));
        assertEquals(0, new SemVer("1.0.0+20130313144700").compareTo(new SemVer("1.0.0+other")));
        assertEquals("exp.sha.5114f85", new SemVer("1.0.0-beta+exp.sha.5114f85").buildMetadata());
        assertEquals("beta", new SemVer("1.0.0-beta+exp.sha.5114f85").prerelease());
    }

    @Test
    void prereleaseExamplesOfSection9() {
        for (String v : List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--")) {
            assertTrue(new SemVer(v).isPrerelease(), v);
        }
        assertFalse(new SemVer("1.0.0").isPrerelease());
    }

    @Test
    void refusesWhatIsNotASemanticVersion() {
        for (String bad : List.of("", "1", "1.0", "01.0.0", "1.01.0", "1.0.0-", "1.0.0-01", "v1.0.0", "latest",
                "1.0.0 ", "1.0.0-a..b", "1.0.0+", "1.0.0+a..b", "1.0.0-α")) {
            assertFalse(SemVer.isValid(bad), bad);
            assertThrows(InvalidNameException.class, () -> new SemVer(bad), bad);
        }
    }

    @Test
    void aPackageVersionIsATagSoHasNoBuildMetadata() {
        assertTrue(SemVer.isPackageVersion("1.2.3-rc.1"));
        assertFalse(SemVer.isPackageVersion("1.2.3+build.7"));
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> SemVer.packageVersion("1.2.3+b"));
        assertTrue(e.getMessage().contains("build metadata"), e.getMessage());
    }
}
