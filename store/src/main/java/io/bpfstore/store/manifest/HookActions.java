package io.bpfstore.store.manifest;

import java.util.List;
import java.util.Optional;

/**
 * The return actions a dispatcher chains on, per hook that has a dispatcher: XDP (libxdp's names for the
 * {@code XDP_*} verdicts plus {@code dispatcher_return}) and legacy tc (bpfman's names for the {@code TC_ACT_*}
 * verdicts). Other hooks have no proceed-on actions: tcx chains programs in the kernel (a program returns
 * {@code TCX_NEXT} to continue), tracing hooks run every program.
 */
public enum HookActions {
    /** XDP: {@code XDP_ABORTED .. XDP_REDIRECT}, and libxdp's {@code XDP_DISPATCHER_RETVAL}. */
    XDP(List.of("aborted", "drop", "pass", "tx", "redirect", "dispatcher_return"),
            List.of("pass", "dispatcher_return")),
    /** Legacy tc (cls_bpf behind bpfman's dispatcher): {@code TC_ACT_*} as bpfman names them. */
    TC(List.of("unspec", "ok", "reclassify", "shot", "pipe", "stolen", "queued", "repeat", "redirect", "trap",
            "dispatcher_return"),
            List.of("ok", "pipe", "dispatcher_return"));

    private final List<String> actions;
    private final List<String> defaults;

    HookActions(List<String> actions, List<String> defaults) {
        this.actions = actions;
        this.defaults = defaults;
    }

    /** Every action name this hook knows, in verdict order. */
    public List<String> actions() {
        return actions;
    }

    /** The proceed-on set used when the manifest does not give one (libxdp's and bpfman's defaults). */
    public List<String> defaults() {
        return defaults;
    }

    /** The action set for a program type as bpfman spells it ({@code xdp}, {@code tc}); empty for the others. */
    public static Optional<HookActions> forProgramType(String bpfmanType) {
        return switch (bpfmanType) {
            case "xdp" -> Optional.of(XDP);
            case "tc" -> Optional.of(TC);
            default -> Optional.empty();
        };
    }

    /** Whether any hook knows {@code action}. */
    public static boolean known(String action) {
        return XDP.actions.contains(action) || TC.actions.contains(action);
    }
}
