package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfMapInfo;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.InfoAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.util.Optional;

/**
 * What the kernel reports about a map ({@code struct bpf_map_info}).
 *
 * @param id         the map id
 * @param typeNumber the map type number (see {@link #type()})
 * @param name       the name given at creation, truncated by the kernel to 15 bytes
 * @param keySize    key size in bytes
 * @param valueSize  value size in bytes (per CPU for per-CPU maps)
 * @param maxEntries capacity
 * @param flags      map_flags
 * @param btfId      id of the map's BTF object, 0 if none
 * @param mapExtra   map_extra (bloom filter hash count, arena address)
 */
public record MapInfo(int id, int typeNumber, String name, int keySize, int valueSize, int maxEntries, int flags,
                      int btfId, long mapExtra) {

    /** The map type, empty if this build does not know the kernel's number. */
    public Optional<MapType> type() {
        return MapType.fromNumber(typeNumber);
    }

    /** The type's name as bpftool prints it, or the number. */
    public String typeName() {
        return MapType.nameOf(typeNumber);
    }

    /** Reads the info of the map behind {@code fd}. */
    static MapInfo read(Fd fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            BpfMapInfo info = new BpfMapInfo(arena);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(fd.value(), info).segment());
            return new MapInfo(info.id(), info.type(), info.name(), info.keySize(), info.valueSize(),
                    info.maxEntries(), info.mapFlags(), info.btfId(), info.mapExtra());
        } catch (SyscallException e) {
            throw BpfException.of("read info of " + what, e);
        }
    }
}
