package io.bpfstore.install;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.Pins;
import io.bpfstore.kernel.dispatch.MemberRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run counters of a composed XDP hook's members ({@link MemberRuns}), pinned at
 * {@link InstallLayout#memberRuns}: one per installation on the hook, kept across recompositions and upgrades (so
 * the count goes on), removed when the installation leaves the hook or the hook's folder goes.
 */
final class MemberCounters {
    private MemberCounters() {
    }

    /** Opens installation {@code id}'s counter on the hook, creating and pinning an empty one when there is none. */
    static BpfMap open(InstallLayout layout, String hookKey, String id) {
        Path pin = layout.memberRuns(hookKey, id);
        if (Files.exists(pin)) {
            try {
                BpfMap existing = BpfMap.openPinned(pin);
                if (MemberRuns.isCounter(existing)) {
                    return existing;
                }
                existing.close();
            } catch (BpfException e) {
                // not a map (or not ours): replaced below
            }
            Pins.unpin(pin);
        }
        PinFolders.create(pin.getParent());
        BpfMap created = MemberRuns.create();
        try {
            created.pin(pin);
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
        return created;
    }

    /** Removes the counters of installations no longer on the hook. */
    static void prune(InstallLayout layout, String hookKey, Collection<String> members) {
        Path dir = layout.memberRuns(hookKey);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> pins;
        try (Stream<Path> s = Files.list(dir)) {
            pins = s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir + ": " + e.getMessage(), e);
        }
        for (Path p : pins) {
            if (!members.contains(p.getFileName().toString())) {
                Pins.unpin(p);
            }
        }
    }
}
