package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the one program that runs on an XDP hook from the installations sharing it, in priority order (ties by
 * installation id). The kernel module's XDP composer generates the dispatcher (see docs/composition.md); this class
 * only turns installations into its members.
 */
final class XdpComposition {
    /** libxdp's XDP_DISPATCHER_RETVAL, the value {@code dispatcher_return} names. */
    static final int DISPATCHER_RETURN = 31;

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
     * @param programPin its standalone entry program's pin
     */
    record Member(String id, BpfObject object, String program, int priority, Set<Integer> proceedOn,
                  Map<String, BpfMap> maps, Path programPin) {
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
     * The program for {@code members} (non-empty).
     *
     * @throws InstallException if they cannot be composed
     */
    static Composed compose(List<Member> members) {
        List<Member> order = ordered(members);
        if (order.size() == 1) {
            // One member runs alone: its own program is the whole composition, no dispatcher needed.
            Member only = order.getFirst();
            return new Composed(BpfProgram.openPinned(only.programPin()), List.of(only.id()));
        }
        throw new InstallException("composing " + order.size() + " XDP packages on one interface ("
                + String.join(", ", order.stream().map(Member::id).toList()) + ") needs the XDP dispatcher, which "
                + "this build lacks");
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
