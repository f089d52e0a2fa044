package io.bpfstore.install;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.link.BpfLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kernel ids of the programs bpfstore itself runs on hooks: each XDP hook's composed dispatcher, the programs of
 * its tcx, cgroup and tracing links, and those of its legacy tc filters. The clash checks take them as owned
 * ({@link io.bpfstore.analysis.clash.HostView#withOwned}): they are installations, not foreign occupants, so no
 * finding tells the user to detach them.
 */
final class OwnPrograms {
    private OwnPrograms() {
    }

    /**
     * What bpfstore holds on a hook: its programs' kernel ids, and the pins of its links there.
     *
     * @param programs the kernel ids of the programs (the clash checks take them as owned)
     * @param links    the pins of the links (the host view looks at these before it reads every link on the host)
     */
    record Held(Set<Integer> programs, List<Path> links) {
    }

    /**
     * What bpfstore holds for {@code installations}, plus the links of {@code sharedLinks} (a hook about to get its
     * first member may still run the dispatcher of a member just removed).
     */
    static Held of(InstallLayout layout, StateDatabase db, Collection<Installation> installations,
                   Collection<Path> sharedLinks) {
        Set<Integer> own = new HashSet<>();
        List<Path> links = new ArrayList<>(sharedLinks);
        for (Installation i : installations) {
            HookDriver.of(i.target()).sharedLink(layout).filter(pin -> !links.contains(pin)).ifPresent(links::add);
            db.filters().of(i.id()).forEach(f -> own.add(f.programId()));
            db.pins().of(i.id()).stream().filter(p -> p.kind() == Pin.Kind.LINK).forEach(p -> links.add(p.path()));
        }
        links.forEach(pin -> linkProgram(pin, own));
        return new Held(Set.copyOf(own), List.copyOf(links));
    }

    /**
     * Every program bpfstore runs according to the state of {@code layout} (all installations, pending ones too,
     * and every dispatcher under the bpffs folder); empty when there is no state database. Reads only: takes the
     * state directory's lock (so it never sees an operation half-written) but changes nothing and does not finish
     * interrupted operations — {@code check} must not change the host.
     */
    static Set<Integer> recorded(InstallLayout layout) {
        if (!Files.exists(layout.database())) {
            return Set.of();
        }
        Set<Integer> own = new HashSet<>();
        try (StateLock lock = StateLock.acquire(layout.stateDir());
             StateDatabase db = StateDatabase.open(layout.database())) {
            for (String id : db.installations().ids()) {
                addRecorded(db, id, own);
            }
        }
        Path dispatch = layout.bpffs().resolve(InstallLayout.DISPATCH_DIR);
        if (Files.isDirectory(dispatch)) {
            try (Stream<Path> hooks = Files.list(dispatch)) {
                hooks.forEach(h -> linkProgram(h.resolve("link"), own));
            } catch (IOException e) {
                throw new UncheckedIOException("list " + dispatch + ": " + e.getMessage(), e);
            }
        }
        return own;
    }

    private static void addRecorded(StateDatabase db, String id, Set<Integer> own) {
        db.filters().of(id).forEach(f -> own.add(f.programId()));
        List<Pin> pins = db.pins().of(id);
        pins.stream().filter(p -> p.kind() == Pin.Kind.LINK).forEach(p -> linkProgram(p.path(), own));
    }

    /** Adds the program the link pinned at {@code pin} runs, if the pin is there and opens. */
    private static void linkProgram(Path pin, Set<Integer> own) {
        if (!Files.exists(pin)) {
            return;
        }
        try (BpfLink link = BpfLink.openPinned(pin)) {
            int program = link.info().programId();
            if (program != 0) {
                own.add(program);
            }
        } catch (BpfException e) {
            // a pin that no longer opens holds no program on a hook: nothing to own
        }
    }
}
