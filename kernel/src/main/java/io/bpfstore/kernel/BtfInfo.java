package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfBtfInfo;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.InfoAttr;
import io.bpfstore.kernel.sys.Struct;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What the kernel reports about a BTF object ({@code struct bpf_btf_info}).
 *
 * @param id        the BTF object id
 * @param name      "vmlinux", a module name, or empty for BTF loaded by a program's loader
 * @param size      bytes of raw BTF
 * @param kernelBtf whether this is kernel (vmlinux or module) BTF
 */
public record BtfInfo(int id, String name, int size, boolean kernelBtf) {
    private static final int NAME_CAPACITY = 256;

    /** Reads the info of the BTF object behind {@code fd}. */
    static BtfInfo read(Fd fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(NAME_CAPACITY);
            BpfBtfInfo info = new BpfBtfInfo(arena).name(name);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(fd.value(), info).segment());
            return new BtfInfo(info.id(), Struct.cString(name), info.btfSize(), info.kernelBtf());
        } catch (SyscallException e) {
            throw BpfException.of("read info of " + what, e);
        }
    }
}
