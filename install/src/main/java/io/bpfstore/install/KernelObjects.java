package io.bpfstore.install;

import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.KernelObject;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.ObjectIds;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.link.BpfLink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The eBPF objects a host view names, read from the kernel when first asked for and kept for the one read: a host
 * runs far more programs and maps than one hook holds, and {@link io.bpfstore.kernel.inventory.HostInventory#scan}
 * costs syscalls for each of them. Objects that vanish before they are read are absent, as in the scan.
 */
final class KernelObjects {
    private final Map<Integer, Optional<ProgramInfo>> programs = new HashMap<>();
    private final Map<Integer, Optional<MapInfo>> maps = new HashMap<>();
    private final List<Path> knownLinks;
    private List<LinkInfo> known;
    private List<LinkInfo> links;

    /** Objects read from the kernel; none known beforehand. */
    KernelObjects() {
        this(List.of());
    }

    /**
     * Objects read from the kernel, with the links pinned at {@code knownLinks} (bpfstore's own at a hook) looked at
     * before every link on the host.
     */
    KernelObjects(List<Path> knownLinks) {
        this.knownLinks = List.copyOf(knownLinks);
    }

    /**
     * Whether a link on the host passes {@code test}: the known links first, each opened by its pin (two system calls
     * each); every link on the host (three per link, on a host that may hold hundreds) only when none of them does.
     * The answer is the one {@link #links} alone would give, since the known links are among them.
     */
    synchronized boolean anyLink(Predicate<LinkInfo> test) {
        if (known == null) {
            List<LinkInfo> out = new ArrayList<>();
            for (Path pin : knownLinks) {
                if (Files.exists(pin)) {
                    try (BpfLink link = BpfLink.openPinned(pin)) {
                        out.add(link.info());
                    } catch (BpfException e) {
                        // not a live link (gone since, or not a link): the links of the host answer instead
                    }
                }
            }
            known = List.copyOf(out);
        }
        return known.stream().anyMatch(test) || links().stream().anyMatch(test);
    }

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
