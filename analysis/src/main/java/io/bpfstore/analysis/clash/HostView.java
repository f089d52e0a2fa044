package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the checks know about the host, built by the caller (the CLI reads it from the kernel); the analysis module
 * never touches the kernel itself. Start from {@link #none()} and add facts with the {@code with...} methods.
 *
 * @param kernel     what the kernel supports, empty when not probed (no kernel-fit check then)
 * @param iface      the interface the packages' network programs will attach to, empty when not given
 * @param netns      the network namespace of {@code iface}, empty for the caller's
 * @param occupants  programs already attached to hooks of {@code iface}
 * @param pins       maps already pinned where the packages' pinned-by-name maps would go, by map name
 * @param cgroup     the cgroup the packages' cgroup programs will attach to, empty when not given
 * @param cgroups    programs attached to {@code cgroup} or one of its ancestors, for the hooks that matter
 * @param netnsHooks programs attached to the one-per-namespace hooks (flow dissector, sk_lookup) of the namespace
 * @param structOps  struct_ops names already registered, per struct type ("tcp_congestion_ops" → {"cubic", ...})
 * @param owned      ids of programs bpfstore installed (replacing those is an upgrade, not a clash)
 * @param resources  memory limits and privilege of the installing process
 * @param tc         where on a legacy tc hook the packages' filters go (priority, handle), empty for tcx
 * @param verified   instructions this kernel's verifier processed per package program (from a trial load), if known
 */
public record HostView(Optional<KernelSupport> kernel, Optional<String> iface, String netns,
                       List<HookOccupant> occupants, Map<String, PinnedMap> pins, Optional<String> cgroup,
                       List<CgroupOccupant> cgroups, List<NetnsOccupant> netnsHooks,
                       Map<String, Set<String>> structOps, Set<Integer> owned, Resources resources,
                       Optional<TcSlot> tc, List<Verified> verified) {
    /** Copies. */
    public HostView {
        occupants = List.copyOf(occupants);
        pins = Map.copyOf(pins);
        cgroups = List.copyOf(cgroups);
        netnsHooks = List.copyOf(netnsHooks);
        structOps = Map.copyOf(structOps);
        owned = Set.copyOf(owned);
        verified = List.copyOf(verified);
    }

    /** A view with interface and pins, no other host facts. */
    public HostView(Optional<KernelSupport> kernel, Optional<String> iface, String netns,
                    List<HookOccupant> occupants, Map<String, PinnedMap> pins) {
        this(kernel, iface, netns, occupants, pins, Optional.empty(), List.of(), List.of(), Map.of(), Set.of(),
                Resources.UNKNOWN, Optional.empty(), List.of());
    }

    /** A view without pins. */
    public HostView(Optional<KernelSupport> kernel, Optional<String> iface, String netns,
                    List<HookOccupant> occupants) {
        this(kernel, iface, netns, occupants, Map.of());
    }

    /** A view with no host facts: only the packages are checked against each other. */
    public static HostView none() {
        return new HostView(Optional.empty(), Optional.empty(), "", List.of());
    }

    /** This view with the kernel's support. */
    public HostView withKernel(KernelSupport support) {
        return new HostView(Optional.of(support), iface, netns, occupants, pins, cgroup, cgroups, netnsHooks,
                structOps, owned, resources, tc, verified);
    }

    /** This view with the interface (in {@code namespace}, "" for the caller's) and the programs on its hooks. */
    public HostView withInterface(String name, String namespace, List<HookOccupant> onHooks) {
        return new HostView(kernel, Optional.of(name), namespace, onHooks, pins, cgroup, cgroups, netnsHooks,
                structOps, owned, resources, tc, verified);
    }

    /** This view with the maps already pinned at the packages' pin paths. */
    public HostView withPins(Map<String, PinnedMap> pinned) {
        return new HostView(kernel, iface, netns, occupants, pinned, cgroup, cgroups, netnsHooks, structOps, owned,
                resources, tc, verified);
    }

    /** This view with the target cgroup and the programs attached to it and its ancestors. */
    public HostView withCgroup(String path, List<CgroupOccupant> attached) {
        return new HostView(kernel, iface, netns, occupants, pins, Optional.of(path), attached, netnsHooks,
                structOps, owned, resources, tc, verified);
    }

    /** This view with the programs on the namespace's one-per-namespace hooks. */
    public HostView withNetnsHooks(List<NetnsOccupant> attached) {
        return new HostView(kernel, iface, netns, occupants, pins, cgroup, cgroups, attached, structOps, owned,
                resources, tc, verified);
    }

    /** This view with the registered struct_ops names, per struct type. */
    public HostView withStructOps(Map<String, Set<String>> registered) {
        return new HostView(kernel, iface, netns, occupants, pins, cgroup, cgroups, netnsHooks, registered, owned,
                resources, tc, verified);
    }

    /** This view with the ids of programs bpfstore installed. */
    public HostView withOwned(Set<Integer> programIds) {
        return new HostView(kernel, iface, netns, occupants, pins, cgroup, cgroups, netnsHooks, structOps,
                programIds, resources, tc, verified);
    }

    /** This view with memory limits and privilege. */
    public HostView withResources(Resources limits) {
        return new HostView(kernel, iface, netns, occupants, pins, cgroup, cgroups, netnsHooks, structOps, owned,
                limits, tc, verified);
    }

    /** This view with the legacy tc slot the packages' filters go to. */
    public HostView withTcSlot(TcSlot slot) {
        return new HostView(kernel, iface, netns, occupants, pins, cgroup, cgroups, netnsHooks, structOps, owned,
                resources, Optional.of(slot), verified);
    }

    /** This view with the instruction counts the kernel's verifier processed in a trial load. */
    public HostView withVerified(List<Verified> counts) {
        return new HostView(kernel, iface, netns, occupants, pins, cgroup, cgroups, netnsHooks, structOps, owned,
                resources, tc, counts);
    }

    /**
     * How many instructions the kernel's verifier processed for a package's program (its verified_insns).
     *
     * @param pkg       the package's name
     * @param program   the program's name
     * @param processed instructions processed
     */
    public record Verified(String pkg, String program, long processed) {
    }

    /**
     * A map pinned on the host.
     *
     * @param path       its bpffs path
     * @param id         its kernel id
     * @param name       its kernel name
     * @param type       its map type number
     * @param keySize    key size in bytes
     * @param valueSize  value size in bytes
     * @param maxEntries maximum number of entries
     * @param flags      map flags
     */
    public record PinnedMap(String path, int id, String name, int type, long keySize, long valueSize, long maxEntries,
                            long flags) {
    }

    /**
     * The kernel's support, as its feature probes found it.
     *
     * @param programTypes   program types this caller can load
     * @param mapTypes       map types this caller can create
     * @param helpers        per usable program type, the helper ids it may call
     * @param skippedHelpers helper ids that were not probed (unknown: never reported)
     * @param kfuncs         whether the kernel's BTF has a function of that name
     * @param release        the kernel release, for messages
     */
    public record KernelSupport(Set<ProgramType> programTypes, Set<MapType> mapTypes,
                                Map<ProgramType, Set<Integer>> helpers, Set<Integer> skippedHelpers,
                                Predicate<String> kfuncs, String release) {
        /** Copies. */
        public KernelSupport {
            programTypes = Set.copyOf(programTypes);
            mapTypes = Set.copyOf(mapTypes);
            helpers = Map.copyOf(helpers);
            skippedHelpers = Set.copyOf(skippedHelpers);
        }
    }

    /** How a program holds a network hook: it decides whether a new attach fails or silently replaces it. */
    public enum AttachMode {
        /** Not known (the caller did not say). */
        UNKNOWN,
        /** Through a bpf_link: the kernel refuses a second attach (EBUSY/EEXIST), nothing is replaced. */
        LINK,
        /** Through the legacy netlink or BPF_PROG_ATTACH call: a new legacy attach replaces it without a word. */
        LEGACY,
        /** A legacy tc (cls_bpf) filter on a clsact qdisc, at a priority and handle. */
        TC_FILTER
    }

    /**
     * A program attached to a hook of the interface.
     *
     * @param hook        which hook
     * @param programId   its kernel id
     * @param programName its kernel name
     * @param mode        how it is attached
     * @param priority    for {@link AttachMode#TC_FILTER}: the filter priority, else 0
     * @param handle      for {@link AttachMode#TC_FILTER}: the filter handle, else 0
     */
    public record HookOccupant(Hook hook, int programId, String programName, AttachMode mode, int priority,
                               int handle) {
        /** An occupant attached in an unknown way. */
        public HookOccupant(Hook hook, int programId, String programName) {
            this(hook, programId, programName, AttachMode.UNKNOWN, 0, 0);
        }
    }

    /**
     * A program attached to the target cgroup or one of its ancestors.
     *
     * @param cgroup      the cgroup's path
     * @param ancestor    whether it is an ancestor of the target (its programs are inherited, not replaced)
     * @param attachType  the cgroup hook
     * @param programId   the program's kernel id
     * @param programName its kernel name
     * @param attachFlags the hook's flags at that cgroup: 0 (exclusive), BPF_F_ALLOW_OVERRIDE (1), BPF_F_ALLOW_MULTI (2)
     */
    public record CgroupOccupant(String cgroup, boolean ancestor, AttachType attachType, int programId,
                                 String programName, int attachFlags) {
        /** {@code BPF_F_ALLOW_OVERRIDE}. */
        public static final int ALLOW_OVERRIDE = 1;
        /** {@code BPF_F_ALLOW_MULTI}. */
        public static final int ALLOW_MULTI = 2;
    }

    /**
     * A program on a hook of which a network namespace has one chain (sk_lookup) or one program (flow dissector).
     *
     * @param attachType  {@link AttachType#FLOW_DISSECTOR} or {@link AttachType#SK_LOOKUP}
     * @param programId   the program's kernel id
     * @param programName its kernel name
     * @param link        whether it is held by a bpf_link (else attached with BPF_PROG_ATTACH)
     */
    public record NetnsOccupant(AttachType attachType, int programId, String programName, boolean link) {
    }

    /**
     * Where on a legacy tc hook the packages' filters go.
     *
     * @param priority the filter priority (tc's "prio")
     * @param handle   the filter handle
     */
    public record TcSlot(int priority, int handle) {
    }

    /**
     * Memory limits and privilege of the process that will load the packages.
     *
     * @param budget         the most map memory the packages may take together (the user's choice), empty for none
     * @param memlockLimit   RLIMIT_MEMLOCK in bytes, empty when unlimited or unknown
     * @param memlockCharged whether the kernel charges map memory to RLIMIT_MEMLOCK (before 5.11; later kernels
     *                       charge the memory cgroup)
     * @param possibleCpus   possible CPUs, which multiply per-CPU maps' memory
     * @param privileged     whether the loader has CAP_BPF (or CAP_SYS_ADMIN); empty when unknown
     */
    public record Resources(OptionalLong budget, OptionalLong memlockLimit, boolean memlockCharged, int possibleCpus,
                            Optional<Boolean> privileged) {
        /** Nothing known: no budget, no limit, privilege unknown; per-CPU maps counted for this JVM's CPUs. */
        public static final Resources UNKNOWN = new Resources(OptionalLong.empty(), OptionalLong.empty(), false,
                Runtime.getRuntime().availableProcessors(), Optional.empty());

        /** Refuses a CPU count below one. */
        public Resources {
            if (possibleCpus < 1) {
                throw new IllegalArgumentException("possible CPUs must be at least 1, not " + possibleCpus);
            }
        }

        /** These resources with a budget. */
        public Resources withBudget(long bytes) {
            return new Resources(OptionalLong.of(bytes), memlockLimit, memlockCharged, possibleCpus, privileged);
        }
    }
}
