package io.bpfstore.install;

import io.bpfstore.install.api.HookKind;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.link.Direction;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an installation's programs attach: the closed set of hooks {@code bpfstore install} knows. How each kind
 * attaches, swaps and detaches is its {@link HookDriver}'s business.
 */
public sealed interface HookTarget {

    /** The kind of hook. */
    HookKind hookKind();

    /** The hook kind as the state database and {@code list} name it. */
    default String kind() {
        return hookKind().label();
    }

    /** The hook in words, for messages and {@code list}. */
    String describe();

    /** The hook's coordinates as flat values (what the state database stores and the host reader needs). */
    Place place();

    /**
     * A hook's coordinates, each present where the kind has it.
     *
     * @param iface     XDP, tc: the interface
     * @param netns     XDP, tc: its network namespace, empty for bpfstore's own
     * @param direction tc: ingress or egress
     * @param legacy    tc: whether it attaches as legacy clsact filters
     * @param cgroup    cgroup: the cgroup v2 directory
     */
    record Place(Optional<String> iface, Optional<String> netns, Optional<Direction> direction,
                 Optional<Boolean> legacy, Optional<Path> cgroup) {
        static final Place NONE = new Place(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** The target of {@code kind} at {@code place} (the inverse of {@link #place()}). */
    static HookTarget of(HookKind kind, Place place) {
        return switch (kind) {
            case XDP -> new Xdp(place.iface().orElseThrow(), place.netns());
            case TC -> new Tc(place.iface().orElseThrow(), place.netns(), place.direction().orElseThrow(),
                    place.legacy().orElse(false));
            case CGROUP -> new Cgroup(place.cgroup().orElseThrow());
            case TRACING -> new Tracing();
        };
    }

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

        @Override
        public Place place() {
            return new Place(Optional.of(iface), netns, Optional.empty(), Optional.empty(), Optional.empty());
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

        @Override
        public Place place() {
            return new Place(Optional.of(iface), netns, Optional.of(direction), Optional.of(legacy), Optional.empty());
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

        @Override
        public Place place() {
            return new Place(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(path));
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

        @Override
        public Place place() {
            return Place.NONE;
        }
    }

    /** The namespace of a network hook as the kernel module wants it. */
    static Netns netnsOf(Optional<String> name) {
        return name.map(Netns::named).orElse(Netns.CURRENT);
    }
}
