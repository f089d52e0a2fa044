package io.bpfstore.kernel.inventory;

import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.BtfHandle;
import io.bpfstore.kernel.BtfInfo;
import io.bpfstore.kernel.KernelObject;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.ObjectIds;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.link.BpfLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A snapshot of every eBPF object on the host.
 *
 * @param programs loaded programs, by ascending id
 * @param maps     maps, by ascending id
 * @param links    links, by ascending id
 * @param btf      BTF objects (kernel and loaded), by ascending id
 */
public record HostInventory(List<ProgramInfo> programs, List<MapInfo> maps, List<LinkInfo> links, List<BtfInfo> btf) {

    /** Copies the lists. */
    public HostInventory {
        programs = List.copyOf(programs);
        maps = List.copyOf(maps);
        links = List.copyOf(links);
        btf = List.copyOf(btf);
    }

    /**
     * Reads every object on the host. Objects that vanish while being read are left out.
     *
     * @throws io.bpfstore.kernel.BpfException if the kernel refuses to list or open objects (EPERM without root)
     */
    public static HostInventory scan() {
        return new HostInventory(
                read(ObjectIds.PROGRAM, id -> KernelObject.readById(BpfProgram::fromId, id, BpfProgram::info)),
                read(ObjectIds.MAP, id -> KernelObject.readById(BpfMap::fromId, id, BpfMap::info)),
                read(ObjectIds.LINK, id -> KernelObject.readById(BpfLink::fromId, id, BpfLink::info)),
                read(ObjectIds.BTF, id -> KernelObject.readById(BtfHandle::fromId, id, BtfHandle::info)));
    }

    /** The program with this id, if it was there. */
    public Optional<ProgramInfo> program(int id) {
        return programs.stream().filter(p -> p.id() == id).findFirst();
    }

    /** The map with this id, if it was there. */
    public Optional<MapInfo> map(int id) {
        return maps.stream().filter(m -> m.id() == id).findFirst();
    }

    /** The link with this id, if it was there. */
    public Optional<LinkInfo> link(int id) {
        return links.stream().filter(l -> l.id() == id).findFirst();
    }

    private static <T> List<T> read(ObjectIds kind, Function<Integer, Optional<T>> reader) {
        List<T> out = new ArrayList<>();
        for (int id : kind.list()) {
            reader.apply(id).ifPresent(out::add);
        }
        return out;
    }
}
