package io.bpfstore.install;

import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.KernelObject;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.ObjectIds;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.link.BpfLink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The eBPF objects a host view names, read from the kernel when first asked for and kept for the one read: a host
 * runs far more programs and maps than one hook holds, and {@link io.bpfstore.kernel.inventory.HostInventory#scan}
 * costs syscalls for each of them. Objects that vanish before they are read are absent, as in the scan.
 */
final class KernelObjects {
    private final Map<Integer, Optional<ProgramInfo>> programs = new HashMap<>();
    private final Map<Integer, Optional<MapInfo>> maps = new HashMap<>();
    private List<LinkInfo> links;

    /** The program with this id, if it is there. */
    synchronized Optional<ProgramInfo> program(int id) {
        return programs.computeIfAbsent(id, k -> KernelObject.readById(BpfProgram::fromId, k, BpfProgram::info));
    }

    /** The map with this id, if it is there. */
    synchronized Optional<MapInfo> map(int id) {
        return maps.computeIfAbsent(id, k -> KernelObject.readById(BpfMap::fromId, k, BpfMap::info));
    }

    /** Every link on the host (read on the first call). */
    synchronized List<LinkInfo> links() {
        if (links == null) {
            List<LinkInfo> out = new ArrayList<>();
            for (int id : ObjectIds.LINK.list()) {
                KernelObject.readById(BpfLink::fromId, id, BpfLink::info).ifPresent(out::add);
            }
            links = List.copyOf(out);
        }
        return links;
    }
}
