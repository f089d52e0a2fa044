package io.bpfstore.vm.replay;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.bytecode.sections.TcAction;
import io.bpfstore.bytecode.sections.XdpAction;

/** Where a replayed chain runs, and that hook's rules for verdicts. */
public enum Hook {
    /** XDP: the composed dispatcher's proceed-on rules; past the last member the packet passes. */
    XDP(ProgramType.XDP, XdpAction.REDIRECT.number(), XdpAction.PASS.number()),
    /** tcx ingress: TCX_NEXT (-1) hands the packet on; any other verdict ends the chain; past the end it passes. */
    TC_INGRESS(ProgramType.SCHED_CLS, TcAction.REDIRECT.number(), TcAction.OK.number()),
    /** tcx egress, same rules as ingress. */
    TC_EGRESS(ProgramType.SCHED_CLS, TcAction.REDIRECT.number(), TcAction.OK.number());

    private final ProgramType programType;
    private final long redirect;
    private final long pass;

    Hook(ProgramType programType, long redirect, long pass) {
        this.programType = programType;
        this.redirect = redirect;
        this.pass = pass;
    }

    /** The program type of the hook's programs. */
    public ProgramType programType() {
        return programType;
    }

    /** The verdict bpf_redirect returns at this hook (XDP_REDIRECT, TC_ACT_REDIRECT). */
    public long redirectVerdict() {
        return redirect;
    }

    /** The verdict of a packet every member handed on (XDP_PASS, TC_ACT_OK). */
    public long passVerdict() {
        return pass;
    }

    /** Whether a verdict lets the packet continue out of the chain (pass, transmit, redirect). */
    public boolean leaves(long verdict) {
        return this == XDP
                ? verdict == XdpAction.PASS.number() || verdict == XdpAction.TX.number()
                        || verdict == XdpAction.REDIRECT.number()
                : verdict == TcAction.OK.number() || verdict == TcAction.REDIRECT.number()
                        || verdict == TcAction.UNSPEC.number();
    }

    /** The verdict's name, e.g. XDP_DROP or TC_ACT_SHOT. */
    public String verdictName(long verdict) {
        int value = (int) verdict;
        return (this == XDP ? XdpAction.fromNumber(value).map(XdpAction::kernelName)
                : TcAction.fromNumber(value).map(TcAction::kernelName)).orElse("verdict " + verdict);
    }

    /** The hook named on the command line: xdp, tc-ingress, tc-egress. */
    public static Hook parse(String name) {
        return switch (name) {
            case "xdp" -> XDP;
            case "tc-ingress" -> TC_INGRESS;
            case "tc-egress" -> TC_EGRESS;
            default -> throw new ReplayException("unknown hook \"" + name + "\" (xdp, tc-ingress, tc-egress)");
        };
    }
}
