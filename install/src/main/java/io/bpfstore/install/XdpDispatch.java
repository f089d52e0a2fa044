package io.bpfstore.install;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The XDP hook of one interface as bpfstore runs it: one link, pinned at {@code <bpffs>/dispatch/<key>/link},
 * whose program is the composition of every installation on the hook. {@link #reconcile} makes the kernel match a
 * member list: attaches the first composition, swaps later ones in atomically with a link update (no packet
 * meets an empty hook), and removes the link when no member is left.
 */
final class XdpDispatch {
    private XdpDispatch() {
    }

    /** The pin of the hook's link. */
    static Path linkPin(InstallLayout layout, HookTarget.Xdp hook) {
        return layout.dispatcher(hook.dispatcherKey()).resolve("link");
    }

    /**
     * Makes the hook run exactly {@code members} (in priority order); none: detaches bpfstore from the hook.
     *
     * @return the member order now running
     * @throws InstallException if a program bpfstore did not attach holds the interface (named with its id)
     */
    static List<String> reconcile(InstallLayout layout, HookTarget.Xdp hook, List<XdpComposition.Member> members) {
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
            try (XdpComposition.Composed composed = XdpComposition.compose(members)) {
                if (ours != null && ourProgram != 0) {
                    if (ourProgram != composed.program().id()) {
                        try (BpfProgram old = BpfProgram.fromId(ourProgram)) {
                            ours.update(old, composed.program());
                        }
                    }
                } else {
                    if (ours != null) {
                        PinFolders.remove(dir); // a defunct link (its interface went away): start over
                    }
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
    static List<XdpComposition.Member> members(List<Installation> installations, java.util.function.Function<String,
            List<Pin>> pins, List<AutoCloseable> opened) {
        List<XdpComposition.Member> out = new ArrayList<>();
        for (Installation i : installations) {
            List<Pin> owned = pins.apply(i.id());
            var maps = LoadedGeneration.openMaps(owned, i.generation());
            opened.addAll(maps.values());
            String entry = i.programs().getFirst();
            out.add(new XdpComposition.Member(i.id(), i.pkg().parse(), entry, i.priority(),
                    XdpComposition.actionCodes(i.proceedOn()), java.util.Map.<String, BpfMap>copyOf(maps)));
        }
        return out;
    }
}
