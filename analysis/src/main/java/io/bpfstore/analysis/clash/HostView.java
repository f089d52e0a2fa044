package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the checks know about the host, built by the caller (the CLI reads it from the kernel); the analysis module
 * never touches the kernel itself.
 *
 * @param kernel    what the kernel supports, empty when not probed (no kernel-fit check then)
 * @param iface     the interface the packages' network programs will attach to, empty when not given
 * @param netns     the network namespace of {@code iface}, empty for the caller's
 * @param occupants programs already attached to hooks of {@code iface}
 * @param pins      maps already pinned where the packages' pinned-by-name maps would go, by map name
 */
public record HostView(Optional<KernelSupport> kernel, Optional<String> iface, String netns,
                       List<HookOccupant> occupants, Map<String, PinnedMap> pins) {
    /** Copies. */
    public HostView {
        occupants = List.copyOf(occupants);
        pins = Map.copyOf(pins);
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

    /**
     * A program attached to a hook of the interface.
     *
     * @param hook        which hook
     * @param programId   its kernel id
     * @param programName its kernel name
     */
    public record HookOccupant(Hook hook, int programId, String programName) {
    }
}
