package io.bpfstore.install;

import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.link.Anchor;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.BpfLink;
import io.bpfstore.kernel.link.Tcx;
import io.bpfstore.kernel.link.TcxOptions;
import java.util.List;

/**
 * tc through tcx links (Linux 6.6): several links per hook, which the kernel runs in the order they were placed.
 * A new link goes by priority among bpfstore's links (anchored before the first later installation's link, else
 * after the last earlier one), else first or last among other tools' links ({@code --before-foreign}).
 *
 * @param target the interface and direction
 */
record TcxDriver(HookTarget.Tc target) implements LinkDriver, InterfaceDriver {
    @Override
    public ProgramType programType() {
        return ProgramType.SCHED_CLS;
    }

    @Override
    public BpfLink link(Installation inst, BpfProgram program, Program definition, List<Neighbour> placed,
                           boolean beforeForeign) {
        return Tcx.attach(program, TcxOptions.of(Interface.named(target.iface()), target.direction())
                .inNetns(HookTarget.netnsOf(target.netns())).at(anchor(inst, placed, beforeForeign)));
    }

    /**
     * Where a new tcx link goes: before the first bpfstore link of a later installation (higher priority number, or
     * the same and a later id), else after the last bpfstore link, else first or last among other tools' links.
     */
    private Anchor anchor(Installation inst, List<Neighbour> neighbours, boolean beforeForeign) {
        AttachedPrograms hook = Tcx.query(Interface.named(target.iface()), HookTarget.netnsOf(target.netns()),
                target.direction());
        Neighbour lastEarlier = null;
        for (int linkId : hook.linkIds()) {
            Neighbour n = neighbours.stream().filter(x -> x.linkId() == linkId).findFirst().orElse(null);
            if (n == null) {
                continue;
            }
            boolean later = n.priority() > inst.priority()
                    || (n.priority() == inst.priority() && n.id().compareTo(inst.id()) > 0);
            if (later) {
                return Anchor.beforeLinkId(linkId);
            }
            lastEarlier = n;
        }
        if (lastEarlier != null) {
            return Anchor.afterLinkId(lastEarlier.linkId());
        }
        return beforeForeign ? Anchor.first() : Anchor.last();
    }
}
