package io.bpfstore.analysis.domain;

import io.bpfstore.bytecode.asm.JumpCondition;
import java.util.List;

/**
 * One fact a path established: a packet-field test, a map membership, a short packet, a context-field test, or a
 * direction taken on other data ({@link Opaque}).
 */
public sealed interface Atom {
    /**
     * Packet bytes {@code [offset, offset + size)}, read as a big-endian number and masked, compared with a
     * constant (network byte order, so a test of port 22 has value 22 whatever order the program loaded it in).
     *
     * @param offset      first byte, from the packet's start (the least possible when not exact)
     * @param size        number of bytes, 1 to 8
     * @param mask        bits of the big-endian number that take part
     * @param condition   the comparison: EQ, NE, or an order (unsigned GT/GE/LT/LE, signed SGT/SGE/SLT/SLE)
     * @param value       the constant
     * @param exactOffset whether the offset is exactly known (false after variable-length headers)
     */
    record FieldTest(int offset, int size, long mask, JumpCondition condition, long value, boolean exactOffset)
            implements Atom {
        /** The same test negated (the other edge of the jump). */
        public FieldTest negate() {
            return new FieldTest(offset, size, mask, Conditions.negate(condition), value, exactOffset);
        }

        /** The condition's ordinal rather than its identity hash, and no boxing: facts are hashed at every step. */
        @Override
        public int hashCode() {
            return ((((offset * 31 + size) * 31 + Long.hashCode(mask)) * 31 + condition.ordinal()) * 31
                    + Long.hashCode(value)) * 2 + (exactOffset ? 1 : 0);
        }
    }

    /**
     * Packet bytes equal to one of several constants: what paths that tested one field against different values
     * and then met (a {@code switch}, VLAN tag variants) know together.
     *
     * @param offset      first byte
     * @param size        number of bytes
     * @param mask        bits that take part
     * @param values      the constants, ascending
     * @param exactOffset whether the offset is exactly known
     */
    record FieldIn(int offset, int size, long mask, java.util.SortedSet<Long> values, boolean exactOffset)
            implements Atom {
        /** Copies. */
        public FieldIn {
            values = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(values));
        }

        /** Consistent with equals, without walking the values (facts are hashed at every partition lookup). */
        @Override
        public int hashCode() {
            return (((offset * 31 + size) * 31 + Long.hashCode(mask)) * 31 + values.size()) * 2 + (exactOffset ? 1 : 0);
        }
    }

    /**
     * A lookup of a key built from packet bytes found (or did not find) an entry.
     *
     * @param map the map's name
     * @param key lane codes of the key's bytes
     * @param hit whether an entry was found
     */
    record MapTest(String map, List<Integer> key, boolean hit) implements Atom {
        /** Copies the key. */
        public MapTest {
            key = List.copyOf(key);
        }

        /** Consistent with equals, without walking the key (facts are hashed at every partition lookup). */
        @Override
        public int hashCode() {
            return (map.hashCode() * 31 + key.size()) * 31 + (key.isEmpty() ? 0 : key.getFirst()) * 2 + (hit ? 1 : 0);
        }
    }

    /**
     * The packet is shorter than {@code length} bytes (a bounds check failed).
     *
     * @param length the length it is shorter than
     */
    record ShortPacket(int length) implements Atom {
    }

    /**
     * A conditional jump on data other than the packet (map contents, helper results, a value the domain cannot
     * relate to packet bytes), and which way the path went. Kept in the partition key so that such paths are not
     * merged before they return; dropped first when partitions must be merged.
     *
     * @param function the function holding the jump
     * @param slot     the jump's slot in it
     * @param taken    whether the path took the jump
     */
    record Opaque(String function, int slot, boolean taken) implements Atom {
        /** Without boxing: facts are hashed at every step. */
        @Override
        public int hashCode() {
            return (function.hashCode() * 31 + slot) * 2 + (taken ? 1 : 0);
        }
    }

    /**
     * A context field compared with a constant ({@code skb->protocol == htons(ETH_P_IP)}).
     *
     * @param offset    the field's offset in the context structure
     * @param condition the comparison
     * @param value     the constant, as the program compared it
     */
    record CtxTest(int offset, JumpCondition condition, long value) implements Atom {
        /** The condition's ordinal rather than its identity hash. */
        @Override
        public int hashCode() {
            return (offset * 31 + condition.ordinal()) * 31 + Long.hashCode(value);
        }
    }
}
