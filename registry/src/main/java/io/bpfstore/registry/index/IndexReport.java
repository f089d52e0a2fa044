package io.bpfstore.registry.index;

import java.util.List;

/**
 * What one run of indexing an origin did, tag by tag.
 *
 * @param origin the origin's URL
 * @param tags   one entry per tag looked at
 */
public record IndexReport(String origin, List<Tag> tags) {
    /** Copies the list. */
    public IndexReport {
        tags = List.copyOf(tags);
    }

    /** What happened to a tag. */
    public enum Outcome {
        /** Copied and indexed (new, or its digest changed). */
        INDEXED,
        /** Indexed before with the same digest: nothing fetched. */
        UNCHANGED,
        /** Not a package (no bpfstore or bpfman labels), or not a version tag. */
        SKIPPED,
        /** Malformed, a blob with the wrong digest, or a namespace owned here: nothing stored. */
        REFUSED
    }

    /**
     * One tag.
     *
     * @param repository the origin's repository
     * @param tag        the tag
     * @param outcome    what happened
     * @param detail     the local package ({@code ns/name@version}), or why it was skipped or refused
     */
    public record Tag(String repository, String tag, Outcome outcome, String detail) {
    }

    /** How many tags had {@code outcome}. */
    public long count(Outcome outcome) {
        return tags.stream().filter(t -> t.outcome() == outcome).count();
    }

    /** One line: counts per outcome. */
    public String summary() {
        return origin + ": " + count(Outcome.INDEXED) + " indexed, " + count(Outcome.UNCHANGED) + " unchanged, "
                + count(Outcome.SKIPPED) + " skipped, " + count(Outcome.REFUSED) + " refused";
    }
}
