package io.bpfstore.kernel.inventory;

import io.bpfstore.kernel.BpfException;
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
import io.bpfstore.kernel.sys.Errno;
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
                read(ObjectIds.PROGRAM, id -> withFd(BpfProgram::fromId, id, BpfProgram::info)),
                read(ObjectIds.MAP, id -> withFd(BpfMap::fromId, id, BpfMap::info)),
                read(ObjectIds.LINK, id -> withFd(BpfLink::fromId, id, BpfLink::info)),
                read(ObjectIds.BTF, id -> withFd(BtfHandle::fromId, id, BtfHandle::info)));
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

    /** Opens an object by id and reads it; empty when it vanished in between (ENOENT). */
    private static <H extends KernelObject, T> Optional<T> withFd(Function<Integer, H> open, int id, Function<H, T> read) {
        H opened;
        try {
            opened = open.apply(id);
        } catch (BpfException e) {
            if (e.errno().filter(Errno.ENOENT::equals).isPresent()) {
                return Optional.empty(); // it went away between listing and opening
            }
            throw e;
        }
        try (H handle = opened) {
            return Optional.of(read.apply(handle));
        }
    }
}
