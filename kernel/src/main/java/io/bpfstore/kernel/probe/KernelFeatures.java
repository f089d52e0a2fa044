package io.bpfstore.kernel.probe;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What this kernel supports, as probed.
 *
 * @param bootId         the boot the probes ran in (/proc/sys/kernel/random/boot_id)
 * @param kernelRelease  the kernel release (uname -r)
 * @param programTypes   the verdict for every program type this build knows
 * @param mapTypes       the verdict for every map type this build knows
 * @param helpers        for every usable program type, the ids of the helpers it may call
 * @param skippedHelpers helper ids deliberately not probed (they write to the kernel log)
 * @param misc           verifier and instruction-set capabilities
 */
public record KernelFeatures(String bootId, String kernelRelease, Map<ProgramType, Support> programTypes,
                             Map<MapType, Support> mapTypes, Map<ProgramType, SortedSet<Integer>> helpers,
                             Set<Integer> skippedHelpers, Map<MiscFeature, Boolean> misc) {

    /** Copies everything into unmodifiable collections. */
    public KernelFeatures {
        programTypes = Collections.unmodifiableMap(new EnumMap<>(programTypes));
        mapTypes = Collections.unmodifiableMap(new EnumMap<>(mapTypes));
        EnumMap<ProgramType, SortedSet<Integer>> copy = new EnumMap<>(ProgramType.class);
        helpers.forEach((type, ids) -> copy.put(type, Collections.unmodifiableSortedSet(new TreeSet<>(ids))));
        helpers = Collections.unmodifiableMap(copy);
        skippedHelpers = Collections.unmodifiableSortedSet(new TreeSet<>(skippedHelpers));
        misc = Collections.unmodifiableMap(misc.isEmpty() ? new EnumMap<>(MiscFeature.class) : new EnumMap<>(misc));
    }

    /** Whether the kernel has a verifier or instruction-set capability (false when it was not probed). */
    public boolean has(MiscFeature feature) {
        return misc.getOrDefault(feature, false);
    }

    /** The verdict for a program type (UNSUPPORTED when it was not probed). */
    public Support programType(ProgramType type) {
        return programTypes.getOrDefault(type, Support.UNSUPPORTED);
    }

    /** The verdict for a map type (UNSUPPORTED when it was not probed). */
    public Support mapType(MapType type) {
        return mapTypes.getOrDefault(type, Support.UNSUPPORTED);
    }

    /** The helper ids a program type may call (empty if the type is not usable). */
    public SortedSet<Integer> helpers(ProgramType type) {
        return helpers.getOrDefault(type, Collections.emptySortedSet());
    }

    /** Whether {@code type} may call helper {@code helperId}. */
    public boolean hasHelper(ProgramType type, int helperId) {
        return helpers(type).contains(helperId);
    }
}
