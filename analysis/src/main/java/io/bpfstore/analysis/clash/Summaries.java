package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.analysis.summary.PacketSummary;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Packet summaries of the checked programs, worked out once: a check asks for the summary of one program for every
 * program it shares a hook with, and a registry or an installer checks the same parsed objects again and again. Keyed
 * by the identity of the parsed program (objects are immutable), at most {@value #CAPACITY} of them, least recently
 * used first out.
 */
final class Summaries {
    private static final int CAPACITY = 512;
    private static final Map<Key, Optional<PacketSummary>> CACHE = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Optional<PacketSummary>> eldest) {
            return size() > CAPACITY;
        }
    };

    private Summaries() {
    }

    /** The summary of {@code program} of {@code object}, as {@link PacketSummarizer#summarize} gives it. */
    static Optional<PacketSummary> of(BpfObject object, Program program) {
        Key key = new Key(object, program);
        synchronized (CACHE) {
            Optional<PacketSummary> known = CACHE.get(key);
            if (known != null) {
                return known;
            }
        }
        Optional<PacketSummary> summary = PacketSummarizer.summarize(object, program);
        synchronized (CACHE) {
            CACHE.put(key, summary);
        }
        return summary;
    }

    /** Identity of a parsed object and program: records compare deeply, which would cost more than it saves. */
    private record Key(BpfObject object, Program program) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.object == object && k.program == program;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(object) + System.identityHashCode(program);
        }
    }
}
