package io.bpfstore.install;

import java.util.List;

/**
 * What {@code bpfstore doctor} found and, with {@code --repair}, did.
 *
 * @param problems one line per disagreement between bpffs, kernel and state database
 * @param repaired one line per repair
 */
public record DoctorReport(List<String> problems, List<String> repaired) {
    /** Copies. */
    public DoctorReport {
        problems = List.copyOf(problems);
        repaired = List.copyOf(repaired);
    }

}
