package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.dispatch.XdpComposer;
import io.bpfstore.kernel.link.Attachment;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.Xdp;
import io.bpfstore.kernel.link.XdpOptions;
import io.bpfstore.kernel.netlink.XdpAttachment;
import io.bpfstore.store.manifest.Hook;
import io.bpfstore.store.manifest.HookActions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The XDP driver: the XDP hook of one interface as bpfstore runs it: one link, pinned at {@code <bpffs>/dispatch/<key>/link},
 * whose program is the composition of every installation on the hook. {@link #reconcile} makes the kernel match a
 * member list: attaches the first composition, swaps later ones in atomically with a link update (no packet
 * meets an empty hook), and removes the link when no member is left.
 *
 * @param target the interface
 */
record XdpDriver(HookTarget.Xdp target) implements InterfaceDriver {
    @Override
    public ProgramType programType() {
        return ProgramType.XDP;
    }

    /** The proceed-on actions: as asked, else the manifest's, else the defaults (pass, dispatcher_return). */
    @Override
    public List<String> options(InstallPlan plan, Optional<Hook> hint) {
        List<String> proceedOn = plan.proceedOn().orElse(hint.map(Hook::proceedOn).filter(l -> !l.isEmpty())
                .orElse(HookActions.XDP.defaults()));
        XdpComposition.actionCodes(proceedOn);
        return proceedOn;
    }

    /** Composes {@code inst} into the hook's dispatcher with the installations already there. */
    @Override
    public List<String> attach(Installer in, Installation inst, Map<String, BpfProgram> loaded, List<Program> programs,
                               boolean beforeForeign) {
        return point(in, inst);
    }

    /** Recomposes the hook with {@code inst} at its generation and the others as recorded. */
    @Override
    public List<String> point(Installer in, Installation inst) {
        List<Installation> members = new ArrayList<>(in.sameHook(inst));
        members.add(inst);
        return reconcile(in, members);
    }

    @Override
    public List<String> repoint(Installer in, Installation inst) {
        if (!TargetSelection.interfaceExists(target.iface(), target.netns())) {
            PinFolders.remove(in.layout().dispatcher(target.dispatcherKey()));
            return List.of();
        }
        return point(in, inst);
    }

    /**
     * Recomposes the hook without {@code inst}: with no member left, or when its interface (or namespace) is gone —
     * then the link is defunct and only its pins remain — the dispatcher's pins are removed instead.
     */
    @Override
    public void detach(Installer in, Installation inst) {
        List<Installation> others = in.sameHook(inst);
        if (others.isEmpty() || !TargetSelection.interfaceExists(target.iface(), target.netns())) {
            PinFolders.remove(in.layout().dispatcher(target.dispatcherKey()));
            return;
        }
        reconcile(in, others);
    }

    @Override
    public Optional<Path> sharedLink(InstallLayout layout) {
        return Optional.of(layout.dispatcher(target.dispatcherKey()).resolve("link"));
    }

    /** Recomposes the hook from {@code installations}, their maps opened from their pins for the composition. */
    private List<String> reconcile(Installer in, List<Installation> installations) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            return reconcile(in.layout(), members(installations, in.db().pins()::of, opened));
        } finally {
            opened.forEach(Installer::closeQuietly);
        }
    }

    /**
     * Makes the hook run exactly {@code members} (in priority order); none: detaches bpfstore from the hook.
     *
     * @return the member order now running
     * @throws InstallException if a program bpfstore did not attach holds the interface (named with its id)
     */
    private List<String> reconcile(InstallLayout layout, List<XdpComposition.Member> members) {
        HookTarget.Xdp hook = target;
        Path dir = layout.dispatcher(hook.dispatcherKey());
        Path pin = dir.resolve("link");
        Netns netns = HookTarget.netnsOf(hook.netns());
        try (BpfLink ours = Files.exists(pin) ? BpfLink.openPinned(pin) : null) {
            int ourProgram = ours == null ? 0 : ours.info().programId();
            if (!members.isEmpty()) {
                refuseForeign(hook, netns, ourProgram);
            }
            if (members.isEmpty()) {
                PinFolders.remove(dir);
                return List.of();
            }
            boolean fresh = ours == null || ourProgram == 0;
            if (ours != null && ourProgram == 0) {
                PinFolders.remove(dir); // a defunct link (its interface went away): start over
            }
            List<BpfMap> counters = new ArrayList<>();
            try {
                List<XdpComposition.Member> counted = new ArrayList<>();
                for (XdpComposition.Member m : members) {
                    BpfMap runs = MemberCounters.open(layout, hook.dispatcherKey(), m.id());
                    counters.add(runs);
                    counted.add(new XdpComposition.Member(m.id(), m.object(), m.program(), m.priority(), m.proceedOn(),
                            m.maps(), Optional.of(runs)));
                }
                List<String> order = swap(hook, netns, ours, ourProgram, dir, pin, counted);
                MemberCounters.prune(layout, hook.dispatcherKey(), order);
                return order;
            } catch (RuntimeException e) {
                if (fresh) {
                    PinFolders.remove(dir); // nothing runs there: leave no counters behind
                }
                throw e;
            } finally {
                counters.forEach(BpfMap::close);
            }
        }
    }

    /** Composes {@code members} and puts the composition on the hook: a link update, or a first attachment. */
    private static List<String> swap(HookTarget.Xdp hook, Netns netns, BpfLink ours, int ourProgram, Path dir, Path pin,
                                     List<XdpComposition.Member> members) {
        try (XdpComposition.Composed composed = XdpComposition.compose(members)) {
            if (ours != null && ourProgram != 0) {
                if (ourProgram != composed.program().id()) {
                    try (BpfProgram old = BpfProgram.fromId(ourProgram)) {
                        ours.update(old, composed.program());
                    }
                }
            } else {
                PinFolders.create(dir);
                XdpOptions options = XdpOptions.of(Interface.named(hook.iface())).inNetns(netns)
                        .withMethod(XdpOptions.Method.LINK);
                try (Attachment attached = Xdp.attach(composed.program(), options)) {
                    ((BpfLink) attached).pin(pin);
                }
            }
            return composed.order();
        }
    }

    /** Refuses when a program bpfstore did not attach runs on the interface. */
    private static void refuseForeign(HookTarget.Xdp hook, Netns netns, int ourProgram) {
        List<XdpAttachment> running = netns.run(() -> Interface.named(hook.iface()).resolve("look at " + hook.describe())
                .xdp());
        for (XdpAttachment a : running) {
            if (a.programId() == ourProgram) {
                continue;
            }
            Optional<ProgramInfo> info = programInfo(a.programId());
            String name = info.map(ProgramInfo::name).orElse("?");
            String what = info.filter(XdpComposer::isLibxdpDispatcher).isPresent() ? "libxdp's dispatcher"
                    : info.filter(XdpComposer::isDispatcher).isPresent()
                    ? "a bpfstore dispatcher that this state directory does not own"
                    : "an XDP program bpfstore did not install";
            throw new InstallException(hook.iface() + hook.netns().map(n -> " (netns " + n + ")").orElse("")
                    + " already runs " + what + ": program " + a.programId() + " \"" + name + "\"; bpfstore will not "
                    + "replace it (remove it first, e.g. ip link set dev " + hook.iface() + " xdp off, or with the tool "
                    + "that attached it)");
        }
    }

    private static Optional<ProgramInfo> programInfo(int id) {
        try (BpfProgram p = BpfProgram.fromId(id)) {
            return Optional.of(p.info());
        } catch (BpfException e) {
            return Optional.empty();
        }
    }

    /** The composition members for {@code installations} on one hook, their maps opened from their pins. */
    private static List<XdpComposition.Member> members(List<Installation> installations, java.util.function.Function<String,
            List<Pin>> pins, List<AutoCloseable> opened) {
        List<XdpComposition.Member> out = new ArrayList<>();
        for (Installation i : installations) {
            List<Pin> owned = pins.apply(i.id());
            var maps = LoadedGeneration.openMaps(owned, i.generation());
            opened.addAll(maps.values());
            String entry = i.programs().getFirst();
            out.add(new XdpComposition.Member(i.id(), i.pkg().parse(), entry, i.priority(),
                    XdpComposition.actionCodes(i.proceedOn()), java.util.Map.<String, BpfMap>copyOf(maps),
                    Optional.empty()));
        }
        return out;
    }
}
