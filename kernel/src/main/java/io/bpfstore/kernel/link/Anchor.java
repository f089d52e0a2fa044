package io.bpfstore.kernel.link;

import io.bpfstore.kernel.BpfProgram;
import java.util.Objects;

/**
 * Where a tcx program goes in the hook's list (kernel 6.6 multi-attach): first, last, or right before or
 * after a program or link that is already attached, named by fd (an open handle) or by id.
 *
 * @param position first, last, before or after
 * @param relative the program or link the position is relative to; {@link Relative.None} for first and last
 */
public record Anchor(Position position, Relative relative) {
    static final int BPF_F_BEFORE = 1 << 3;
    static final int BPF_F_AFTER = 1 << 4;
    static final int BPF_F_ID = 1 << 5;
    static final int BPF_F_LINK = 1 << 13;

    /** The position in the list. */
    public enum Position {
        /** At the head: runs before every other program. */
        FIRST,
        /** At the tail: runs after every other program (also what no anchor means). */
        LAST,
        /** Immediately before the relative object. */
        BEFORE,
        /** Immediately after the relative object. */
        AFTER
    }

    /** What a BEFORE/AFTER anchor refers to. */
    public sealed interface Relative {
        /** Nothing: FIRST and LAST. */
        record None() implements Relative { }

        /** An attached program, by an open handle. @param program the program */
        record Program(BpfProgram program) implements Relative { }

        /** An attached program, by id. @param id the program id */
        record ProgramId(int id) implements Relative { }

        /** A link, by an open handle. @param link the link */
        record Link(BpfLink link) implements Relative { }

        /** A link, by id. @param id the link id */
        record LinkId(int id) implements Relative { }
    }

    /** Checks that FIRST/LAST have no relative object and BEFORE/AFTER have one. */
    public Anchor {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(relative, "relative");
        boolean none = relative instanceof Relative.None;
        if ((position == Position.FIRST || position == Position.LAST) != none) {
            throw new IllegalArgumentException(position + " anchors " + (none ? "need" : "take no") + " relative object");
        }
    }

    /** Runs before every attached program. */
    public static Anchor first() {
        return new Anchor(Position.FIRST, new Relative.None());
    }

    /** Runs after every attached program. */
    public static Anchor last() {
        return new Anchor(Position.LAST, new Relative.None());
    }

    /** Runs just before {@code program}. */
    public static Anchor before(BpfProgram program) {
        return new Anchor(Position.BEFORE, new Relative.Program(program));
    }

    /** Runs just after {@code program}. */
    public static Anchor after(BpfProgram program) {
        return new Anchor(Position.AFTER, new Relative.Program(program));
    }

    /** Runs just before the program of {@code link}. */
    public static Anchor before(BpfLink link) {
        return new Anchor(Position.BEFORE, new Relative.Link(link));
    }

    /** Runs just after the program of {@code link}. */
    public static Anchor after(BpfLink link) {
        return new Anchor(Position.AFTER, new Relative.Link(link));
    }

    /** Runs just before the program with id {@code id}. */
    public static Anchor beforeProgramId(int id) {
        return new Anchor(Position.BEFORE, new Relative.ProgramId(id));
    }

    /** Runs just after the program with id {@code id}. */
    public static Anchor afterProgramId(int id) {
        return new Anchor(Position.AFTER, new Relative.ProgramId(id));
    }

    /** Runs just before the program of the link with id {@code id}. */
    public static Anchor beforeLinkId(int id) {
        return new Anchor(Position.BEFORE, new Relative.LinkId(id));
    }

    /** Runs just after the program of the link with id {@code id}. */
    public static Anchor afterLinkId(int id) {
        return new Anchor(Position.AFTER, new Relative.LinkId(id));
    }

    /** The link_create flags (BPF_F_BEFORE/AFTER, BPF_F_ID, BPF_F_LINK). */
    int flags() {
        int flags = switch (position) {
            case FIRST, BEFORE -> BPF_F_BEFORE;
            case LAST, AFTER -> BPF_F_AFTER;
        };
        return flags | switch (relative) {
            case Relative.None n -> 0;
            case Relative.Program p -> 0;
            case Relative.ProgramId p -> BPF_F_ID;
            case Relative.Link l -> BPF_F_LINK;
            case Relative.LinkId l -> BPF_F_LINK | BPF_F_ID;
        };
    }

    /** The relative_fd / relative_id value for the attribute. */
    int relativeValue() {
        return switch (relative) {
            case Relative.None n -> 0;
            case Relative.Program p -> p.program().fd().value();
            case Relative.ProgramId p -> p.id();
            case Relative.Link l -> l.link().fd().value();
            case Relative.LinkId l -> l.id();
        };
    }

    @Override
    public String toString() {
        return switch (relative) {
            case Relative.None n -> position.name().toLowerCase();
            case Relative.Program p -> position.name().toLowerCase() + " " + p.program().describe();
            case Relative.ProgramId p -> position.name().toLowerCase() + " program id " + p.id();
            case Relative.Link l -> position.name().toLowerCase() + " link " + l.link().id();
            case Relative.LinkId l -> position.name().toLowerCase() + " link id " + l.id();
        };
    }
}
