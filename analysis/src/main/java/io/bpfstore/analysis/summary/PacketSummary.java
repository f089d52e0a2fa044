package io.bpfstore.analysis.summary;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Effects.PacketWrite;
import io.bpfstore.analysis.domain.Site;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a packet program does with traffic: one {@link Outcome} per class of paths, and readable lines.
 *
 * @param program  the program's name
 * @param type     its program type
 * @param outcomes the outcomes, in the order their exits were found
 * @param complete false when the fixpoint stopped at its visit limit (the outcomes may then miss paths)
 */
public record PacketSummary(String program, ProgramType type, List<Outcome> outcomes, boolean complete) {
    /** Copies. */
    public PacketSummary {
        outcomes = List.copyOf(outcomes);
    }

    /** What an outcome does, in words: its verdicts, rewrites and notable helpers. */
    public String action(Outcome o) {
        StringBuilder sb = new StringBuilder(Verdicts.describe(type, o.verdicts()));
        if (!o.certainVerdict() && !o.dependsOn().isEmpty()) {
            sb.append(" (depending on ").append(o.dependsOn().stream().map(Site::toString).sorted()
                    .collect(Collectors.joining("; "))).append(")");
        }
        if (!o.rewrites().isEmpty()) {
            sb.append(", rewrites ").append(TrafficDescription.rewrites(o.rewrites(), o.condition(), type));
        }
        for (String h : o.helpers()) {
            sb.append(", calls ").append(h);
        }
        return sb.toString();
    }

    /** Traffic matching {@code facts} in protocol terms, as this program's packets are laid out. */
    public String describe(List<Atom> facts) {
        return TrafficDescription.describe(facts, type);
    }

    /**
     * The header fields of packet bytes {@code writes} under the layout {@code facts} imply ("IPv4 dst", "TCP
     * checksum"), one name per field.
     */
    public List<String> fields(Set<PacketWrite> writes, List<Atom> facts) {
        String names = TrafficDescription.rewrites(writes, facts, type);
        return names.isEmpty() ? List.of() : List.of(names.split(", "));
    }

    /** The condition of an outcome in protocol terms ("IPv4 TCP dst port 22"). */
    public String condition(Outcome o) {
        return TrafficDescription.describe(o.condition(), type) + (o.approximate() ? " (approximate)" : "");
    }

    /**
     * The summary as lines "condition → action": every outcome whose action differs from the most common one,
     * then "otherwise → " the most common action. Identical lines appear once.
     */
    public List<String> lines() {
        Map<String, List<Outcome>> byAction = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            byAction.computeIfAbsent(action(o), k -> new ArrayList<>()).add(o);
        }
        String fallback = null;
        int best = -1, fewest = Integer.MAX_VALUE;
        for (Map.Entry<String, List<Outcome>> e : byAction.entrySet()) {
            int n = e.getValue().size();
            int atoms = e.getValue().stream().mapToInt(o -> o.condition().size()).min().orElse(0);
            if (n > best || n == best && atoms < fewest) {
                best = n;
                fewest = atoms;
                fallback = e.getKey();
            }
        }
        LinkedHashSet<String> lines = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            String action = action(o);
            if (!action.equals(fallback)) {
                lines.add(condition(o) + " → " + action);
            }
        }
        if (fallback != null) {
            lines.add((lines.isEmpty() ? "any traffic" : "otherwise") + " → " + fallback);
        }
        if (!complete) {
            lines.add("(analysis incomplete: some paths may be missing)");
        }
        return List.copyOf(lines);
    }

    @Override
    public String toString() {
        return program + " (" + type.bpftoolName() + "):\n  " + String.join("\n  ", lines());
    }
}
