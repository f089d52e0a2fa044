package io.bpfstore.vm.replay;

import io.bpfstore.vm.Executor;
import io.bpfstore.vm.capture.CapturedPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * Packets of a capture that show a clash finding between two packages of a chain, {@code earlier} running
 * before {@code later}: the VM runs the later package alone and the two as a chain, and compares.
 */
public final class Evidence {
    private Evidence() {
    }

    /**
     * The first {@code max} packets on which {@code later}, alone, would act (a verdict other than passing the
     * packet on, a change to the packet, or a map write), but which {@code earlier} keeps from it in the chain.
     */
    public static List<Integer> hiddenTraffic(Replay.Member earlier, Replay.Member later, List<CapturedPacket> packets,
                                              Executor executor, Hook hook, int max) {
        Replay.Result alone = Replay.run(List.of(later), packets, executor, hook, List.of(), true);
        Replay.Result chain = Replay.run(List.of(earlier, later), packets, executor, hook);
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < packets.size() && shown.size() < max; i++) {
            Replay.PacketOutcome a = alone.packets().get(i);
            boolean verdict = hook == Hook.XDP ? a.endedBy().isPresent() : a.verdict() != hook.passVerdict();
            boolean acts = verdict || !a.changed().isEmpty() || a.mapsWritten();
            boolean hidden = chain.packets().get(i).endedBy().map(e -> e.pkg().equals(earlier.name())).orElse(false);
            if (acts && hidden) {
                shown.add(i);
            }
        }
        return shown;
    }

    /**
     * The first {@code max} packets whose bytes {@code earlier} changes and {@code later} then changes again (the
     * earlier write is lost): bytes where the chain's output differs from what the earlier package alone left.
     */
    public static List<Integer> overwritten(Replay.Member earlier, Replay.Member later, List<CapturedPacket> packets,
                                            Executor executor, Hook hook, int max) {
        Replay.Result first = Replay.run(List.of(earlier), packets, executor, hook);
        Replay.Result chain = Replay.run(List.of(earlier, later), packets, executor, hook);
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < packets.size() && shown.size() < max; i++) {
            Replay.PacketOutcome e = first.packets().get(i);
            Replay.PacketOutcome c = chain.packets().get(i);
            if (e.changed().isEmpty() || c.endedBy().map(x -> x.pkg().equals(earlier.name())).orElse(false)) {
                continue; // the earlier package wrote nothing, or the later one never ran
            }
            if (overlaps(e.changed(), Replay.changes(e.output(), c.output()))) {
                shown.add(i);
            }
        }
        return shown;
    }

    private static boolean overlaps(List<int[]> a, List<int[]> b) {
        for (int[] x : a) {
            for (int[] y : b) {
                if (x[0] < y[0] + y[1] && y[0] < x[0] + x[1]) {
                    return true;
                }
            }
        }
        return false;
    }
}
