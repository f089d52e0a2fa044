package io.bpfstore.vm.replay;

import io.bpfstore.bytecode.sections.ProgramType;

/** Where a replayed chain runs, and that hook's rules for verdicts. */
public enum Hook {
    /** XDP: the composed dispatcher's proceed-on rules; past the last member the packet passes. */
    XDP(ProgramType.XDP, 4, 2),
    /** tcx ingress: TCX_NEXT (-1) hands the packet on; any other verdict ends the chain; past the end it passes. */
    TC_INGRESS(ProgramType.SCHED_CLS, 7, 0),
    /** tcx egress, same rules as ingress. */
    TC_EGRESS(ProgramType.SCHED_CLS, 7, 0);

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
        return this == XDP ? verdict == 2 || verdict == 3 || verdict == 4 : verdict == 0 || verdict == 7 || verdict == -1;
    }

    /** The verdict's name, e.g. XDP_DROP or TC_ACT_SHOT. */
    public String verdictName(long verdict) {
        if (this == XDP) {
            return switch ((int) verdict) {
                case 0 -> "XDP_ABORTED";
                case 1 -> "XDP_DROP";
                case 2 -> "XDP_PASS";
                case 3 -> "XDP_TX";
                case 4 -> "XDP_REDIRECT";
                default -> "verdict " + verdict;
            };
        }
        return switch ((int) verdict) {
            case -1 -> "TC_ACT_UNSPEC";
            case 0 -> "TC_ACT_OK";
            case 1 -> "TC_ACT_RECLASSIFY";
            case 2 -> "TC_ACT_SHOT";
            case 3 -> "TC_ACT_PIPE";
            case 4 -> "TC_ACT_STOLEN";
            case 5 -> "TC_ACT_QUEUED";
            case 6 -> "TC_ACT_REPEAT";
            case 7 -> "TC_ACT_REDIRECT";
            case 8 -> "TC_ACT_TRAP";
            default -> "verdict " + verdict;
        };
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
