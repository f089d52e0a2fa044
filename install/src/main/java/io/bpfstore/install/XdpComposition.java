package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.dispatch.ComposedProgram;
import io.bpfstore.kernel.dispatch.XdpComposer;
import io.bpfstore.kernel.dispatch.XdpMember;
import io.bpfstore.kernel.loader.LoadOptions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the one program that runs on an XDP hook from the installations sharing it, in priority order (ties by
 * installation id). The kernel module's {@link XdpComposer} generates the dispatcher (see docs/composition.md);
 * this class only turns installations into its members. libxdp's {@code dispatcher_return} action has no
 * counterpart there (a member returning 31 is not an XDP verdict), so it is accepted in manifests and ignored.
 */
final class XdpComposition {
    /** libxdp's XDP_DISPATCHER_RETVAL, the value {@code dispatcher_return} names. */
    static final int DISPATCHER_RETURN = XdpAction.DISPATCHER_RETVAL;

    private XdpComposition() {
    }

    /**
     * One installation's part of the composition.
     *
     * @param id         the installation id
     * @param object     its object
     * @param program    its entry program
     * @param priority   lower runs first
     * @param proceedOn  XDP action codes on which the next member runs
     * @param maps       its live maps by name (the composed program uses these, so state survives recomposition)
     * @param runs       where the dispatcher counts its runs, if anywhere
     */
    record Member(String id, BpfObject object, String program, int priority, Set<Integer> proceedOn,
                  Map<String, BpfMap> maps, java.util.Optional<BpfMap> runs) {
    }

    /**
     * A program to attach, and the member order it runs.
     *
     * @param program the program
     * @param order   member ids in run order
     */
    record Composed(BpfProgram program, List<String> order) implements AutoCloseable {
        @Override
        public void close() {
            program.close();
        }
    }

    /** Members in run order. */
    static List<Member> ordered(List<Member> members) {
        return members.stream().sorted(Comparator.comparingInt(Member::priority).thenComparing(Member::id)).toList();
    }

    /**
     * The dispatcher program for {@code members} (non-empty), even for one member, so that the hook's program is
     * always recognisably bpfstore's and adding a member later is a link update.
     *
     * @throws io.bpfstore.kernel.dispatch.CompositionRejectedException naming the member the kernel refused
     */
    static Composed compose(List<Member> members) {
        List<XdpMember> parts = ordered(members).stream().map(m -> new XdpMember(m.id(), m.object(), m.program(),
                m.priority(), m.proceedOn().stream().filter(c -> c != DISPATCHER_RETURN)
                .collect(java.util.stream.Collectors.toSet()), m.maps(), m.runs())).toList();
        ComposedProgram composed = XdpComposer.compose(parts, LoadOptions.defaults().withoutPinning());
        return new Composed(composed.program(), composed.order());
    }

    /** The XDP action codes of proceed-on action names ({@code pass}, {@code drop}, ...). */
    static Set<Integer> actionCodes(List<String> names) {
        java.util.TreeSet<Integer> codes = new java.util.TreeSet<>();
        for (String n : names) {
            codes.add(switch (n) {
                case "aborted" -> 0;
                case "drop" -> 1;
                case "pass" -> 2;
                case "tx" -> 3;
                case "redirect" -> 4;
                case "dispatcher_return" -> DISPATCHER_RETURN;
                default -> throw new InstallException("unknown XDP action \"" + n + "\" in proceed-on (known: aborted, "
                        + "drop, pass, tx, redirect, dispatcher_return)");
            });
        }
        return Set.copyOf(codes);
    }
}
