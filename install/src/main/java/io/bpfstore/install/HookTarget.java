package io.bpfstore.install;

import io.bpfstore.install.api.HookKind;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.Direction;
import java.nio.file.Path;
import java.util.Optional;

/** Where an installation's programs attach: the closed set of hooks {@code bpfstore install} knows. */
public sealed interface HookTarget {

    /** The kind of hook. */
    HookKind hookKind();

    /** The hook kind as the state database and {@code list} name it. */
    default String kind() {
        return hookKind().label();
    }

    /** The hook in words, for messages and {@code list}. */
    String describe();

    /**
     * XDP on an interface, through the interface's composed dispatcher.
     *
     * @param iface the interface name
     * @param netns the network namespace name (ip netns), empty for bpfstore's own
     */
    record Xdp(String iface, Optional<String> netns) implements HookTarget {
        @Override
        public HookKind hookKind() {
            return HookKind.XDP;
        }

        @Override
        public String describe() {
            return "xdp on " + iface + netns.map(n -> " (netns " + n + ")").orElse("");
        }

        /** The dispatcher folder's name under {@code <bpffs>/dispatch}: bpffs refuses '.' in names. */
        public String dispatcherKey() {
            return ("xdp-" + netns.orElse("host") + "-" + iface).replace('.', '_');
        }
    }

    /**
     * tc on an interface: tcx links, or legacy bpf filters on the clsact qdisc (where the kernel has no tcx, or
     * when asked with {@code --tc-mode legacy}). The two are separate hooks for ordering: tcx programs run before
     * the clsact filters.
     *
     * @param iface     the interface name
     * @param netns     the network namespace name, empty for bpfstore's own
     * @param direction ingress or egress
     * @param legacy    whether the programs attach as legacy clsact filters instead of tcx links
     */
    record Tc(String iface, Optional<String> netns, Direction direction, boolean legacy) implements HookTarget {
        /** A tcx hook. */
        public Tc(String iface, Optional<String> netns, Direction direction) {
            this(iface, netns, direction, false);
        }

        @Override
        public HookKind hookKind() {
            return HookKind.TC;
        }

        @Override
        public String describe() {
            return "tc " + direction.name().toLowerCase() + " on " + iface + netns.map(n -> " (netns " + n + ")").orElse("")
                    + (legacy ? " (legacy clsact)" : "");
        }
    }

    /**
     * The cgroup hooks of the programs' attach types, multi-attach.
     *
     * @param path the cgroup directory (cgroup v2)
     */
    record Cgroup(Path path) implements HookTarget {
        @Override
        public HookKind hookKind() {
            return HookKind.CGROUP;
        }

        @Override
        public String describe() {
            return "cgroup " + path;
        }
    }

    /** Tracing programs (tracepoint, raw tracepoint) at the places their section names say, side by side. */
    record Tracing() implements HookTarget {
        @Override
        public HookKind hookKind() {
            return HookKind.TRACING;
        }

        @Override
        public String describe() {
            return "tracing";
        }
    }

    /** The namespace of a network hook as the kernel module wants it. */
    static Netns netnsOf(Optional<String> name) {
        return name.map(Netns::named).orElse(Netns.CURRENT);
    }
}
