package io.bpfstore.registry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a total is qualified ("about", "at least") and whether a later page may hold matches: an inexact total that
 * ends at a full page's end must still offer the next page.
 */
class SearchPageTest {
    private static final SearchHit HIT = new SearchHit("ns", "pkg", "1.0.0", "d", "MIT", List.of("xdp"), 0,
            "sha256:" + "0".repeat(64));

    @Test
    void totalsAreWordedByKind() {
        assertEquals("", SearchPage.qualifier(true, false));
        assertEquals("about ", SearchPage.qualifier(false, false));
        assertEquals("at least ", SearchPage.qualifier(false, true));
        assertThrows(IllegalArgumentException.class, () -> new SearchPage(3, List.of(HIT), true, true));
    }

    @Test
    void anInexactTotalAtThePageEndOffersTheNextPage() {
        assertFalse(new SearchPage(21, List.of(HIT)).hasMoreAfter(21), "exact, last page");
        assertTrue(new SearchPage(22, List.of(HIT)).hasMoreAfter(21), "exact, more");
        assertTrue(new SearchPage(21, List.of(HIT), false, true).hasMoreAfter(21), "at least: maybe more");
        assertFalse(new SearchPage(20, List.of(), false, true).hasMoreAfter(20), "an empty page ends it");
    }
}
