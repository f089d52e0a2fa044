package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.TcFilterAttachment;
import io.bpfstore.kernel.link.TcFilterChangedException;
import io.bpfstore.kernel.link.TcLegacy;
import io.bpfstore.kernel.link.TcOptions;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.sys.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The legacy tc side of installations: bpf filters in direct-action mode on the clsact qdisc, for kernels without
 * tcx (or {@code --tc-mode legacy}). A filter has no fd and no pin, so it is recorded in the state database
 * ({@link LegacyFilter}) <em>before</em> it is added or replaced, and found again by that identity; it is changed
 * or deleted only while it runs one of its installation's programs.
 *
 * <p>Order: tc runs lower priorities first. Installation priority {@code p} (1..1000) owns the tc priorities
 * {@code p*64 .. p*64+63}; a filter takes the first of them that no filter of any kind holds, so installations run
 * in priority order (equal priorities in install order) and never join or displace another tool's filter.
 */
final class LegacyFilters {
    /** tc priorities per installation priority. */
    static final int BAND = 64;
    /** The handle of every bpfstore filter (one filter per priority). */
    static final int HANDLE = 1;

    private LegacyFilters() {
    }

    /** Adds a filter per program of {@code inst}, recording each before it is added. */
    static void attach(StateDatabase db, Installation inst, HookTarget.Tc tc, Map<String, BpfProgram> loaded,
                       List<Program> programs) {
        Interface device = Interface.named(tc.iface());
        Netns netns = HookTarget.netnsOf(tc.netns());
        for (Program def : programs) {
            BpfProgram program = loaded.get(def.name());
            int base = inst.priority() * BAND;
            int priority;
            try {
                priority = TcLegacy.freePriority(device, netns, tc.direction(), base, base + BAND - 1);
            } catch (BpfException e) {
                throw new InstallException(tc.describe() + ": the tc priorities of installation priority "
                        + inst.priority() + " (" + base + ".." + (base + BAND - 1) + ") are all taken; choose another "
                        + "--priority", e);
            }
            // recorded before it is added, with the qdisc it is about to create: a kill right after the add leaves
            // nothing the record does not name
            LegacyFilter filter = new LegacyFilter(inst.id(), def.name(), tc.iface(), tc.netns(), tc.direction(), priority,
                    HANDLE, program.id(), !TcLegacy.hasClsact(device, netns));
            db.filters().put(filter);
            TcFilterAttachment added = TcLegacy.attach(program, filter.options()); // not closed: closing deletes it
            if (added.createdQdisc() != filter.createdQdisc()) {
                db.filters().put(filter.withCreatedQdisc(added.createdQdisc()));
            }
        }
    }

    /**
     * Points every filter of {@code id} at the programs of {@code generation} (tc's atomic replace), skipping filters
     * that already run them. A filter that is gone is left for {@code doctor}.
     *
     * @throws InstallException if a filter runs a program that is not the installation's
     */
    static void align(StateDatabase db, String id, int generation) {
        List<Pin> pins = db.pins().of(id);
        for (LegacyFilter f : db.filters().of(id)) {
            Pin pin = pins.stream().filter(p -> p.kind() == Pin.Kind.PROGRAM && p.generation() == generation
                    && p.name().equals(f.program())).findFirst().orElseThrow(() -> new InstallException(
                    "generation " + generation + " of " + id + " has no program " + f.program()));
            Optional<TcFilter> now = find(f);
            if (now.isEmpty()) {
                continue;
            }
            try (BpfProgram wanted = BpfProgram.openPinned(pin.path())) {
                int running = now.get().programId();
                if (running != wanted.id()) {
                    if (!ownPrograms(db, f).contains(running)) {
                        throw new InstallException(f.describe() + " runs program " + running + ", which is not "
                                + id + "'s: another tool replaced it; bpfstore leaves it alone (doctor reports it)");
                    }
                    TcLegacy.replace(wanted, f.options(), running);
                }
                if (f.programId() != wanted.id()) {
                    db.filters().put(f.running(wanted.id()));
                }
            }
        }
    }

    /**
     * Deletes the filters of {@code id} that still run one of its programs, and the clsact qdisc when bpfstore
     * created it and nothing is left on it. Filters another tool changed are left alone; returns one line for
     * each. The records stay (the caller deletes them with the installation), so a killed detach is redone.
     */
    static List<String> detach(StateDatabase db, String id) {
        List<String> leftAlone = new ArrayList<>();
        List<LegacyFilter> all = db.filters().all();
        for (LegacyFilter f : db.filters().of(id)) {
            boolean removeQdisc = all.stream().anyMatch(o -> o.createdQdisc() && o.iface().equals(f.iface())
                    && o.netns().equals(f.netns()));
            if (!hookExists(f)) {
                continue; // the interface or namespace went away with its filters
            }
            Optional<TcFilter> now = find(f);
            int expected = now.map(TcFilter::programId).orElse(f.programId());
            if (now.isPresent() && !ownPrograms(db, f).contains(expected)) {
                leftAlone.add(f.describe() + " runs program " + expected + ", not " + id + "'s: left alone");
                continue;
            }
            try {
                TcLegacy.detach(f.options(), expected, removeQdisc);
            } catch (TcFilterChangedException e) {
                leftAlone.add(e.getMessage()); // replaced between the look and the delete
            } catch (BpfException e) {
                if (hookExists(f)) {
                    throw e;
                }
            }
        }
        return leftAlone;
    }

    /** The filter at {@code f}'s place now, if any (none when its interface or namespace is gone). */
    static Optional<TcFilter> find(LegacyFilter f) {
        if (!hookExists(f)) {
            return Optional.empty();
        }
        try {
            return TcLegacy.find(f.options());
        } catch (BpfException e) {
            if (Errno.ENODEV.is(e.errnoNumber())) { // the interface went away meanwhile
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether the namespace and interface of {@code f} still exist. */
    static boolean hookExists(LegacyFilter f) {
        if (f.netns().isPresent() && !Files.exists(Path.of("/run/netns", f.netns().get()))) {
            return false;
        }
        return HookTarget.netnsOf(f.netns()).run(() -> io.bpfstore.kernel.netlink.InterfaceDump.read().stream()
                .anyMatch(i -> i.name().equals(f.iface())));
    }

    /** Kernel ids of the programs {@code f} may run: its installation's programs of every recorded generation. */
    static Set<Integer> ownPrograms(StateDatabase db, LegacyFilter f) {
        Set<Integer> ids = new HashSet<>();
        ids.add(f.programId());
        for (Pin p : db.pins().of(f.installation())) {
            if (p.kind() == Pin.Kind.PROGRAM && p.name().equals(f.program())) {
                ids.add(p.kernelId());
            }
        }
        return ids;
    }

    /**
     * A bpf filter on some clsact hook of this host, with where it is.
     *
     * @param netns  the namespace name, empty for bpfstore's own
     * @param filter the filter
     */
    record Found(Optional<String> netns, TcFilter filter) {
        /** The options that name it for the kernel module. */
        TcOptions options() {
            return new TcOptions(Interface.index(filter.ifindex()), HookTarget.netnsOf(netns), filter.direction(),
                    filter.priority(), filter.handle(), "");
        }

        /** Whether {@code f} records this filter. */
        boolean is(LegacyFilter f) {
            return f.netns().equals(netns) && f.iface().equals(filter.device()) && f.priority() == filter.priority()
                    && f.handle() == filter.handle() && f.direction() == filter.direction();
        }

        /** The filter in words. */
        String describe() {
            return "tc filter on " + filter.device() + " " + filter.direction().name().toLowerCase() + " priority "
                    + filter.priority() + " handle 0x" + Integer.toHexString(filter.handle())
                    + netns.map(n -> " (netns " + n + ")").orElse("") + " running program " + filter.programId();
        }
    }

    /** Every bpf filter on a clsact hook in bpfstore's namespace and in every named namespace (ip netns). */
    static List<Found> scan() {
        List<Found> out = new ArrayList<>();
        out.addAll(scanIn(Optional.empty()));
        Path named = Path.of("/run/netns");
        if (Files.isDirectory(named)) {
            try (var s = Files.list(named)) {
                for (Path ns : s.sorted().toList()) {
                    try {
                        out.addAll(scanIn(Optional.of(ns.getFileName().toString())));
                    } catch (RuntimeException e) {
                        // a namespace removed while we looked: nothing of ours can be there any more
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("list " + named + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<Found> scanIn(Optional<String> netns) {
        return HookTarget.netnsOf(netns).run(() -> {
            List<Found> out = new ArrayList<>();
            for (var i : io.bpfstore.kernel.netlink.InterfaceDump.read()) {
                for (TcFilter f : io.bpfstore.kernel.netlink.TcFilterDump.read(i.ifindex(), i.name())) {
                    out.add(new Found(netns, f));
                }
            }
            return out;
        });
    }
}
