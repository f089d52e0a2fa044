package io.bpfstore.analysis.clash;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Atom.FieldIn;
import io.bpfstore.analysis.domain.Atom.FieldTest;
import io.bpfstore.bytecode.asm.JumpCondition;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** When two path conditions can hold for one packet: only plain contradictions make them disjoint. */
class TrafficOverlapTest {
    private static FieldTest port(JumpCondition c, long v) {
        return new FieldTest(36, 2, 0xffff, c, v, true);
    }

    private static boolean meet(FieldTest a, FieldTest b) {
        return TrafficOverlap.compatible(List.of(a), List.of(b));
    }

    @Test
    void equalFieldsWithDifferentValuesAreDisjoint() {
        assertFalse(meet(port(JumpCondition.EQ, 22), port(JumpCondition.EQ, 53)));
        assertFalse(meet(port(JumpCondition.EQ, 22), port(JumpCondition.NE, 22)));
        assertFalse(meet(port(JumpCondition.EQ, 22), port(JumpCondition.GT, 1024)));
        assertFalse(meet(port(JumpCondition.GT, 1024), port(JumpCondition.EQ, 22)));
        assertTrue(meet(port(JumpCondition.EQ, 22), port(JumpCondition.LT, 1024)));
        assertTrue(meet(port(JumpCondition.NE, 22), port(JumpCondition.NE, 53)));
    }

    @Test
    void setsAndShortPackets() {
        Atom in = new FieldIn(36, 2, 0xffff, new TreeSet<>(List.of(53L, 80L)), true);
        assertFalse(TrafficOverlap.compatible(List.of(in), List.of(port(JumpCondition.EQ, 22))));
        assertTrue(TrafficOverlap.compatible(List.of(in), List.of(port(JumpCondition.EQ, 80))));
        assertFalse(TrafficOverlap.compatible(List.of(new Atom.ShortPacket(34)), List.of(port(JumpCondition.EQ, 22))));
        assertTrue(TrafficOverlap.compatible(List.of(new Atom.ShortPacket(60)), List.of(port(JumpCondition.EQ, 22))));
    }

    @Test
    void differentFieldsAndInexactOffsetsNeverContradict() {
        FieldTest inexact = new FieldTest(36, 2, 0xffff, JumpCondition.EQ, 53, false);
        assertTrue(TrafficOverlap.compatible(List.of(port(JumpCondition.EQ, 22)), List.of(inexact)));
        FieldTest srcPort = new FieldTest(34, 2, 0xffff, JumpCondition.EQ, 53, true);
        assertTrue(TrafficOverlap.compatible(List.of(port(JumpCondition.EQ, 22)), List.of(srcPort)));
        assertTrue(TrafficOverlap.compatible(List.of(), List.of(srcPort)));
    }
}
