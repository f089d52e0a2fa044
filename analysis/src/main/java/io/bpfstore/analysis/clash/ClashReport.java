package io.bpfstore.analysis.clash;

import java.util.ArrayList;
import java.util.List;

/**
 * The findings of one check, errors first.
 *
 * @param packages the checked packages, in priority order
 * @param findings the findings
 */
public record ClashReport(List<String> packages, List<Finding> findings) {
    /** Copies and puts errors before warnings (stable otherwise). */
    public ClashReport {
        packages = List.copyOf(packages);
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(java.util.Comparator.comparing(Finding::severity));
        findings = List.copyOf(sorted);
    }

    /** Whether any finding is an error. */
    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /** The findings of one class. */
    public List<Finding> of(FindingClass findingClass) {
        return findings.stream().filter(f -> f.findingClass() == findingClass).toList();
    }

    /** The report as text: one paragraph per finding, then a verdict line. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Finding f : findings) {
            lines.add(f.severity().name().toLowerCase(java.util.Locale.ROOT) + " [" + f.findingClass().label() + "] "
                    + f.message());
            lines.add("  involves: " + String.join("; ", f.subjects().stream().map(Subject::describe).toList()));
            lines.add("  fix: " + f.fix());
        }
        long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        lines.add(findings.isEmpty() ? "no clash found between " + String.join(", ", packages)
                : errors + " error(s), " + (findings.size() - errors) + " warning(s)");
        return lines;
    }
}
