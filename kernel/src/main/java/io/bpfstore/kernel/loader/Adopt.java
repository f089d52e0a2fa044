package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfMapInfo;
import io.bpfstore.kernel.sys.BpfProgInfo;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.InfoAttr;
import java.lang.foreign.Arena;

/**
 * Turns a file descriptor the loader got from a raw BPF_MAP_CREATE or BPF_PROG_LOAD into the kernel module's
 * typed handle: the handle opens the object by id (a second reference), then the raw descriptor is closed, so the
 * loader needs no access to the handles' constructors.
 */
final class Adopt {
    private Adopt() {
    }

    static BpfMap map(long fdResult) {
        try (Fd raw = Fd.of(fdResult); Arena arena = Arena.ofConfined()) {
            BpfMapInfo info = new BpfMapInfo(arena);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(raw.value(), info).segment());
            return BpfMap.fromId(info.id());
        }
    }

    static BpfProgram program(long fdResult) {
        try (Fd raw = Fd.of(fdResult); Arena arena = Arena.ofConfined()) {
            BpfProgInfo info = new BpfProgInfo(arena);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(raw.value(), info).segment());
            return BpfProgram.fromId(info.id());
        }
    }
}
