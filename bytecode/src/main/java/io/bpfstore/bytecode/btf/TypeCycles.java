package io.bpfstore.bytecode.btf;

import static io.bpfstore.bytecode.btf.MalformedBtfException.BTF;

/**
 * Finds cycles in the type graph that would make a walk loop forever: a typedef or qualifier chain that comes back
 * to itself, an array of itself, a variable of itself, or a struct that contains itself by value. Cycles through a
 * PTR (a linked-list node pointing at its own struct) or through a function signature are legal C and allowed.
 *
 * <p>An iterative depth-first search, because vmlinux chains are long enough to overflow a recursive one.
 */
final class TypeCycles {
    private static final byte UNSEEN = 0, ON_PATH = 1, DONE = 2;

    private TypeCycles() {
    }

    /** Throws a {@link MalformedBtfException} at the first type of the first cycle found among btf's own types. */
    static void check(Btf btf) {
        int first = btf.firstId(), count = btf.typeCount();
        byte[] state = new byte[count - first];
        int[] path = new int[16];
        int[] nextEdge = new int[16];
        for (int root = first; root < count; root++) {
            if (state[root - first] != UNSEEN) {
                continue;
            }
            int depth = 0;
            path[0] = root;
            nextEdge[0] = 0;
            state[root - first] = ON_PATH;
            while (depth >= 0) {
                int node = path[depth];
                int target = edge(btf.type(node), nextEdge[depth]++);
                if (target < 0) {
                    state[node - first] = DONE;
                    depth--;
                    continue;
                }
                if (target < first) {
                    continue; // void, or a base type: the base was checked when it was parsed
                }
                byte s = state[target - first];
                if (s == ON_PATH) {
                    throw cycle(btf, path, depth, target);
                }
                if (s == UNSEEN) {
                    state[target - first] = ON_PATH;
                    if (++depth == path.length) {
                        path = java.util.Arrays.copyOf(path, depth * 2);
                        nextEdge = java.util.Arrays.copyOf(nextEdge, depth * 2);
                    }
                    path[depth] = target;
                    nextEdge[depth] = 0;
                }
            }
        }
    }

    /** The {@code index}-th type that {@code t} contains by value, or -1 past the last. */
    private static int edge(BtfType t, int index) {
        return switch (t) {
            case BtfType.Qualifier q -> index == 0 ? q.type() : -1;
            case BtfType.Array a -> index == 0 ? a.elementType() : -1;
            case BtfType.Var v -> index == 0 ? v.type() : -1;
            case BtfType.Composite c -> index < c.members().size() ? c.members().get(index).type() : -1;
            default -> -1;
        };
    }

    private static MalformedBtfException cycle(Btf btf, int[] path, int depth, int target) {
        StringBuilder chain = new StringBuilder();
        int start = depth;
        while (path[start] != target) {
            start--;
        }
        for (int i = start; i <= depth; i++) {
            BtfType t = btf.type(path[i]);
            chain.append('[').append(t.id()).append("] ").append(t.kind());
            if (!t.isAnonymous()) {
                chain.append(" '").append(t.name()).append('\'');
            }
            chain.append(" -> ");
        }
        chain.append('[').append(target).append(']');
        return new MalformedBtfException(BTF, btf.offsetOf(target),
                "type cycle that does not pass through a pointer: " + chain);
    }
}
