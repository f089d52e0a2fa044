package io.bpfstore.install.api;

import java.util.List;

/**
 * What {@code bpfstore doctor} found and, when asked to repair, did.
 *
 * @param problems one line per disagreement between bpffs, kernel and state database
 * @param repaired one line per repair
 */
public record DoctorResult(List<String> problems, List<String> repaired) {
    /** Copies. */
    public DoctorResult {
        problems = List.copyOf(problems);
        repaired = List.copyOf(repaired);
    }
}
