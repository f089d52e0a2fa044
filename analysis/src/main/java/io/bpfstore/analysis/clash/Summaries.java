package io.bpfstore.analysis.clash;

import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.analysis.summary.PacketSummary;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.SectionDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Packet summaries of the checked programs, worked out once: a check asks for the summary of one program for every
 * program it shares a hook with, and a registry, an installer or the agent checks the same objects again and again,
 * often parsed anew (the agent re-checks an installation's package after every change it sees on the host). Keyed by
 * content: the object file's SHA-256, its name (internal map names derive from it) and the program's name and
 * section definition (a type given by the user changes it); at most {@value #CAPACITY} of them, least recently used
 * first out.
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
        Key key = new Key(object.sha256(), object.name(), program.name(), program.definition());
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

    /** Forgets every summary (for figures of a first check). */
    static void clear() {
        synchronized (CACHE) {
            CACHE.clear();
        }
    }

    /** What a summary depends on: the object's bytes and name, and the program's name and (given) definition. */
    private record Key(String sha256, String objectName, String program, Optional<SectionDefinition> definition) {
    }
}
