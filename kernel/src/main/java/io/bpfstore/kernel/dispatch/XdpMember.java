package io.bpfstore.kernel.dispatch;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.kernel.BpfMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One package's XDP entry program in a composition.
 *
 * @param name      the member's name (an installation or package name): unique within a composition, the tie
 *                  breaker between equal priorities, and how a refusal names the member
 * @param object    the object the entry program comes from
 * @param program   the entry program's name (its function name) in {@code object}
 * @param priority  lower runs first; equal priorities run in {@code name} order
 * @param proceedOn XDP action codes (0 ABORTED, 1 DROP, 2 PASS, 3 TX, 4 REDIRECT) on which the next member runs;
 *                  any other return value is the dispatcher's verdict. libxdp's default is {@link #DEFAULT_PROCEED_ON}
 * @param maps      the member's live maps by the object's map names (as {@code LoadedObject.maps()} lists them),
 *                  which its instructions are relocated against; the caller keeps them open
 * @param runs      where the dispatcher counts the member's runs ({@link MemberRuns#create()}; the kernel counts
 *                  only the whole composition), or empty for no count; the caller keeps it open
 */
public record XdpMember(String name, BpfObject object, String program, int priority, Set<Integer> proceedOn,
                        Map<String, BpfMap> maps, Optional<BpfMap> runs) {
    /** libxdp's default chain-call actions: go on only when the member passes the packet. */
    public static final Set<Integer> DEFAULT_PROCEED_ON = Set.of(XdpAction.PASS.number());

    /** Checks the arguments and copies the collections (proceed-on kept sorted). */
    public XdpMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(program, "program");
        if (name.isBlank()) {
            throw new IllegalArgumentException("an XDP member needs a name");
        }
        for (Integer action : Objects.requireNonNull(proceedOn, "proceedOn")) {
            if (action == null || XdpAction.fromNumber(action).isEmpty()) {
                throw new IllegalArgumentException("member \"" + name + "\": proceed-on action " + action
                        + " is not an XDP action (0 aborted, 1 drop, 2 pass, 3 tx, 4 redirect)");
            }
        }
        proceedOn = java.util.Collections.unmodifiableSet(new TreeSet<>(proceedOn));
        maps = Map.copyOf(Objects.requireNonNull(maps, "maps"));
        Objects.requireNonNull(runs, "runs");
    }

    /** A member whose runs the dispatcher does not count. */
    public XdpMember(String name, BpfObject object, String program, int priority, Set<Integer> proceedOn,
                     Map<String, BpfMap> maps) {
        this(name, object, program, priority, proceedOn, maps, Optional.empty());
    }

    /** This member with its runs counted in {@code counter} (a map from {@link MemberRuns#create()}). */
    public XdpMember countedIn(BpfMap counter) {
        return new XdpMember(name, object, program, priority, proceedOn, maps, Optional.of(counter));
    }

    /** A member that proceeds on {@link #DEFAULT_PROCEED_ON}. */
    public static XdpMember of(String name, BpfObject object, String program, int priority, Map<String, BpfMap> maps) {
        return new XdpMember(name, object, program, priority, DEFAULT_PROCEED_ON, maps);
    }
}
