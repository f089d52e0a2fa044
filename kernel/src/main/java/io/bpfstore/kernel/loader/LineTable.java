package io.bpfstore.kernel.loader;

import java.util.List;
import java.util.Optional;

/**
 * The source lines of one linked program: which {@link SourceLine} each instruction comes from, by the last line
 * record at or before it (how the kernel and bpftool read {@code line_info}).
 */
final class LineTable {
    /** A line starting at instruction {@code slot} of the program. */
    record Entry(int slot, SourceLine line) {
    }

    private final List<Entry> entries;

    LineTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    static LineTable empty() {
        return new LineTable(List.of());
    }

    /** The source line of instruction {@code slot}; empty without line info. */
    Optional<SourceLine> at(int slot) {
        SourceLine found = null;
        for (Entry e : entries) {
            if (e.slot() > slot) {
                break;
            }
            if (e.line().line() > 0) {
                found = e.line();
            }
        }
        return Optional.ofNullable(found);
    }
}
