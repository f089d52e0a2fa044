package io.bpfstore.analysis.domain;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A path's facts as an immutable list that remembers its hash: paths are the partition keys of the analysis, looked
 * up in hash maps at every join, and hashing their facts again each time was most of the analysis time. Equal to
 * any {@link List} of the same facts, with the same hash.
 */
final class AtomPath extends AbstractList<Atom> implements RandomAccess {
    static final AtomPath EMPTY = new AtomPath(new Atom[0]);

    /** The facts; this path is the first {@link #size} of them (prefixes share the array). */
    private final Atom[] atoms;
    /** {@code prefixHashes[i]}: the list hash of the first {@code i} facts. */
    private final int[] prefixHashes;
    private final int size;

    private AtomPath(Atom[] atoms) {
        this.atoms = atoms;
        this.prefixHashes = new int[atoms.length + 1];
        int h = 1;
        prefixHashes[0] = h;
        for (int i = 0; i < atoms.length; i++) {
            h = 31 * h + atoms[i].hashCode();
            prefixHashes[i + 1] = h;
        }
        this.size = atoms.length;
    }

    private AtomPath(AtomPath whole, int size) {
        this.atoms = whole.atoms;
        this.prefixHashes = whole.prefixHashes;
        this.size = size;
    }

    private AtomPath(Atom[] atoms, int[] prefixHashes) {
        this.atoms = atoms;
        this.prefixHashes = prefixHashes;
        this.size = atoms.length;
    }

    /** {@code facts} and then {@code atom}: the facts' hashes are kept, only the new one is computed. */
    static AtomPath with(List<Atom> facts, Atom atom) {
        java.util.Objects.requireNonNull(atom, "fact");
        AtomPath p = of(facts);
        Atom[] atoms = Arrays.copyOf(p.atoms, p.size + 1);
        atoms[p.size] = atom;
        int[] hashes = Arrays.copyOf(p.prefixHashes, p.size + 2);
        hashes[p.size + 1] = 31 * hashes[p.size] + atom.hashCode();
        return new AtomPath(atoms, hashes);
    }

    /** {@code facts} as an atom path ({@code facts} itself if it is one). */
    static AtomPath of(List<Atom> facts) {
        if (facts instanceof AtomPath p) {
            return p;
        }
        if (facts.isEmpty()) {
            return EMPTY;
        }
        Atom[] copy = facts.toArray(new Atom[0]);
        for (Atom a : copy) {
            java.util.Objects.requireNonNull(a, "fact");
        }
        return new AtomPath(copy);
    }

    @Override
    public Atom get(int index) {
        java.util.Objects.checkIndex(index, size);
        return atoms[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int hashCode() {
        return prefixHashes[size];
    }

    /** A prefix shares this path's facts and knows its hash; other ranges are copied. */
    @Override
    public List<Atom> subList(int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, size);
        if (from == 0) {
            return to == size ? this : new AtomPath(this, to);
        }
        return new AtomPath(Arrays.copyOfRange(atoms, from, to));
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof AtomPath p) {
            return p.size == size && p.hashCode() == hashCode()
                    && Arrays.equals(p.atoms, 0, size, atoms, 0, size);
        }
        return super.equals(o);
    }
}
