package io.bpfstore.analysis.domain;

import java.util.List;

/**
 * The abstract state of {@link RegionDomain}: the call frames (the current one last), the path's facts about its
 * traffic (the partition key), whether that key was coarsened, and the path's effects.
 *
 * @param frames    call frames, the entry program's first
 * @param path      facts the path established, oldest first
 * @param coarsened whether paths with different facts were merged into this one (its facts are then weaker than
 *                  what each merged path knew)
 * @param effects   what the path did
 */
public record RegionState(List<Frame> frames, List<Atom> path, boolean coarsened, Effects effects) {
    /** Copies. */
    public RegionState {
        frames = List.copyOf(frames);
        path = AtomPath.of(path);
    }

    /** The path first: it knows its hash, and states compared at joins mostly differ in it or in few registers. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof RegionState s && s.coarsened == coarsened && s.path.equals(path)
                && s.frames.equals(frames) && s.effects.equals(effects);
    }

    /** Of the path alone (cached by it), consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return path.hashCode() * 2 + (coarsened ? 1 : 0);
    }

    /** The current frame. */
    public Frame top() {
        return frames.getLast();
    }

    /** The current frame's register {@code r}. */
    public Value register(int r) {
        return top().registers().get(r);
    }

    /** The return register r0 of the current frame. */
    public Value r0() {
        return register(0);
    }
}
