package io.bpfstore.kernel.dispatch;

import io.bpfstore.kernel.sys.ProgLoadAttr;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.loader.LoadException;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.kernel.loader.ProgramImage;
import io.bpfstore.kernel.loader.ProgramRejectedException;
import io.bpfstore.kernel.sys.Errno;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Composes several packages' XDP programs into one XDP program, for kernels that refuse freplace (where libxdp's
 * dispatcher cannot work). The generated dispatcher calls each member's entry program as a bpf-to-bpf subprogram
 * in priority order, goes on to the next member when the return value is in the member's proceed-on set and
 * returns it otherwise; after the last member it returns {@code XDP_PASS} (libxdp's semantics). Each member's
 * code is linked by the loader against the member's own live maps, so state lives in those maps and survives
 * recomposition; swap compositions atomically with {@code BpfLink.update(old, new)}.
 *
 * <pre>{@code
 * try (ComposedProgram composed = XdpComposer.compose(List.of(
 *         XdpMember.of("counter", counterObject, "xdp_count", 10, counterMaps),
 *         new XdpMember("firewall", firewallObject, "xdp_firewall", 20, Set.of(XDP_PASS), firewallMaps)),
 *         LoadOptions.defaults())) {
 *     Xdp.attach(composed.program(), XdpOptions.of(Interface.named("eth0")));
 * }
 * }</pre>
 */
public final class XdpComposer {
    /** The name every dispatcher bpfstore generates is loaded with (the kernel keeps 15 bytes). */
    public static final String DISPATCHER_NAME = "bst_xdp_disp";
    /** libxdp's dispatcher program name. */
    public static final String LIBXDP_DISPATCHER_NAME = "xdp_dispatcher";
    /**
     * Most members in one composition. Each member adds at least one subprogram, and the kernel allows 256
     * subprograms per program; 32 leaves each member room for its own.
     */
    public static final int MAX_MEMBERS = 32;
    private static final java.util.regex.Pattern VERIFIED =
            java.util.regex.Pattern.compile("Func#\\d+ \\('.*'\\) is safe for any args that match its prototype");

    private XdpComposer() {
    }

    /**
     * Links members' entry programs (with their subprograms, relocated against their own live maps) as bpf-to-bpf
     * subprograms of one generated XDP dispatcher and loads it. libxdp semantics: each member runs in order; when
     * its return value is in proceedOn the next runs, otherwise that value is returned; after the last member
     * XDP_PASS. {@code options} give the kernel BTF (CO-RE, kfuncs); their existing maps are replaced by each
     * member's.
     *
     * @throws IllegalArgumentException     if the member list is empty, too long or names a member twice
     * @throws CompositionRejectedException (a {@link LoadException}) if a member cannot be linked, if a member other
     *                                      than the last proceeds on nothing (the ones after it could never run),
     *                                      or the kernel refuses the program; it names the member when it can be
     *                                      attributed
     */
    public static ComposedProgram compose(List<XdpMember> members, LoadOptions options) {
        List<XdpMember> order = order(members);
        String what = "compose XDP dispatcher of " + order.stream().map(XdpMember::name).toList();
        for (int i = 0; i < order.size() - 1; i++) {
            if (order.get(i).proceedOn().isEmpty()) {
                throw refused(what, order.get(i), "it proceeds on no action, so " + order.subList(i + 1, order.size())
                        .stream().map(XdpMember::name).toList() + " after it would never run", null);
            }
        }
        List<ProgramImage> images = new ArrayList<>();
        int attachType = -1;
        boolean frags = true;
        Optional<String> license = Optional.empty();
        for (XdpMember m : order) {
            Program program = entry(m, what);
            int memberAttach = program.attachType().map(AttachType::number).orElse(-1);
            if (memberAttach != -1 && memberAttach != AttachType.XDP.number()) {
                throw refused(what, m, "program \"" + m.program() + "\" is an " + program.attachType().get().kernelName()
                        + " program, which runs from a map, not on an interface", null);
            }
            attachType = Math.max(attachType, memberAttach);
            ProgramImage image;
            try {
                image = Loader.link(m.object(), m.program(), options.withExistingMaps(m.maps()));
            } catch (LoadException e) {
                throw refused(what, m, e.getMessage(), e);
            }
            frags &= (image.flags() & ProgLoadAttr.BPF_F_XDP_HAS_FRAGS) != 0;
            if (license.isEmpty() && !GplLicense.compatible(image.license())) {
                license = Optional.of(image.license());
            }
            images.add(image);
        }
        List<Integer> counters = order.stream().map(m -> m.runs().map(r -> r.fd().value())
                .orElse(DispatcherCode.NO_COUNTER)).toList();
        int bodySlots = DispatcherCode.slots(order.stream().map(XdpMember::proceedOn).toList(), counters);
        List<Integer> entries = new ArrayList<>();
        int at = bodySlots;
        for (ProgramImage image : images) {
            entries.add(at);
            at += image.slots();
        }
        byte[] body = DispatcherCode.body(order.stream().map(XdpMember::proceedOn).toList(), entries, counters);
        // GPL unless a member's own license is not GPL-compatible: then GPL-only helpers stay refused for it
        ProgramImage dispatcher = ProgramImage.of(DISPATCHER_NAME, ProgramType.XDP, attachType,
                frags ? ProgLoadAttr.BPF_F_XDP_HAS_FRAGS : 0, license.orElse("GPL"), body).append(images);
        try {
            BpfProgram program = Loader.load(dispatcher);
            return new ComposedProgram(program, order.stream().map(XdpMember::name).toList());
        } catch (ProgramRejectedException e) {
            throw attribute(what, order, entries, images, dispatcher, e);
        } catch (LoadException e) {
            throw new CompositionRejectedException(what + ": " + e.getMessage(), Optional.empty(), e);
        }
    }

    /** Whether {@code info} is a dispatcher bpfstore generated: an XDP program named {@value #DISPATCHER_NAME}. */
    public static boolean isDispatcher(ProgramInfo info) {
        return info.typeNumber() == ProgramType.XDP.number() && info.name().equals(DISPATCHER_NAME);
    }

    /** Whether {@code info} is libxdp's dispatcher: an XDP program named {@value #LIBXDP_DISPATCHER_NAME}. */
    public static boolean isLibxdpDispatcher(ProgramInfo info) {
        return info.typeNumber() == ProgramType.XDP.number() && info.name().equals(LIBXDP_DISPATCHER_NAME);
    }

    /** Members by priority, ties by name; refuses an empty or oversized list and duplicate names. */
    static List<XdpMember> order(List<XdpMember> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("compose XDP dispatcher: no members");
        }
        if (members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("compose XDP dispatcher: " + members.size() + " members, at most "
                    + MAX_MEMBERS);
        }
        Set<String> names = new HashSet<>();
        for (XdpMember m : members) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("compose XDP dispatcher: member \"" + m.name() + "\" is given twice");
            }
        }
        return members.stream().sorted(Comparator.comparingInt(XdpMember::priority).thenComparing(XdpMember::name))
                .toList();
    }

    private static Program entry(XdpMember m, String what) {
        Program program = m.object().programs().stream().filter(p -> p.name().equals(m.program())).findFirst()
                .orElseThrow(() -> refused(what, m, "object " + m.object().name() + " has no program \"" + m.program()
                        + "\" (it has " + m.object().programs().stream().map(Program::name).toList() + ")", null));
        if (program.type().orElse(null) != ProgramType.XDP) {
            throw refused(what, m, "program \"" + m.program() + "\" (section " + program.section() + ") is not an XDP"
                    + " program", null);
        }
        return program;
    }

    private static CompositionRejectedException refused(String what, XdpMember m, String why, RuntimeException cause) {
        return new CompositionRejectedException(what + ": member \"" + m.name() + "\" (program \"" + m.program()
                + "\" of object " + m.object().name() + "): " + why, Optional.of(m.name()), cause);
    }

    /**
     * Names the member whose code holds the instruction the verifier stopped at; when the kernel names no
     * instruction (a prog array of another kind, a limit counted over the whole program), the first member that
     * the kernel also refuses in a dispatcher of its own.
     */
    private static CompositionRejectedException attribute(String what, List<XdpMember> order, List<Integer> entries,
                                                          List<ProgramImage> images, ProgramImage dispatcher,
                                                          ProgramRejectedException e) {
        // The verifier accepted the code when its log ends with a global function's success line (or says
        // nothing): the refusal came after it (a prog array of another kind...), and no instruction is to blame.
        boolean verified = e.verifierLog().isBlank() || e.reason().isEmpty() || VERIFIED.matcher(e.reason()).matches();
        StringBuilder why = new StringBuilder();
        if (verified) {
            why.append("the kernel refused it after the verifier accepted its code: ")
                    .append(Errno.describe(e.errnoNumber()));
        } else {
            why.append("the verifier rejected it: ").append(e.reason());
            e.sourceLine().ifPresent(l -> why.append(" at ").append(l));
        }
        if (!verified && e.failingInstruction().isPresent()) {
            int slot = e.failingInstruction().getAsInt();
            for (int i = 0; i < order.size(); i++) {
                if (slot >= entries.get(i) && slot < entries.get(i) + images.get(i).slots()) {
                    return refused(what, order.get(i), why + " (instruction " + (slot - entries.get(i))
                            + " of the member's code)", e);
                }
            }
        }
        if ((verified || e.failingInstruction().isEmpty()) && order.size() > 1) {
            for (int i = 0; i < order.size(); i++) {
                List<Set<Integer>> one = List.of(order.get(i).proceedOn());
                int entry = DispatcherCode.slots(one);
                ProgramImage alone = ProgramImage.of(DISPATCHER_NAME, ProgramType.XDP, dispatcher.expectedAttachType(),
                        dispatcher.flags(), dispatcher.license(), DispatcherCode.body(one, List.of(entry)))
                        .append(List.of(images.get(i)));
                try (BpfProgram ignored = Loader.load(alone)) {
                    // this member loads in a dispatcher of its own: not the one
                } catch (ProgramRejectedException | LoadException again) {
                    return refused(what, order.get(i), why + " (it is refused in a dispatcher of its own too)", e);
                }
            }
        }
        return new CompositionRejectedException(what + ": " + why, Optional.empty(), e);
    }
}
