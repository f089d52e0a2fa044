package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.BtfLoadAttr;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Struct;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A BTF object in the kernel (loaded from raw BTF, or kernel BTF opened by id), held by a file descriptor. */
public final class BtfHandle extends KernelObject {
    private static final int LOG_SIZE = 64 * 1024;
    private static final int MAX_LOG_SIZE = 16 * 1024 * 1024;

    private final BtfInfo info;

    private BtfHandle(Fd fd, BtfInfo info) {
        super(fd, info.id());
        this.info = info;
    }

    /**
     * Loads raw BTF (header, types, strings). On failure it is loaded again with a log, which the
     * exception carries.
     *
     * @throws BpfException if the kernel rejects the BTF
     */
    public static BtfHandle load(byte[] rawBtf) {
        String what = "load BTF (" + rawBtf.length + " bytes)";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment btf = arena.allocateFrom(ValueLayout.JAVA_BYTE, rawBtf);
            int logSize = 0;
            while (true) {
                try (Arena attempt = Arena.ofConfined()) {
                    MemorySegment log = logSize > 0 ? attempt.allocate(logSize) : MemorySegment.NULL;
                    BtfLoadAttr attr = new BtfLoadAttr(attempt).btf(btf).log(logSize > 0 ? 1 : 0, log);
                    long result = BpfSyscall.invoke(BpfCommand.BTF_LOAD, attr.segment());
                    if (result >= 0) {
                        return adopt(Fd.of(result), what);
                    }
                    int errno = (int) -result;
                    if (logSize == 0 || Errno.ENOSPC.is(errno) && logSize < MAX_LOG_SIZE) {
                        logSize = logSize == 0 ? LOG_SIZE : Math.min(MAX_LOG_SIZE, logSize * 4);
                        continue;
                    }
                    String text = Struct.cString(log);
                    throw new BpfException(what, errno, text.isBlank() ? null : "the kernel rejected the BTF", text);
                }
            }
        }
    }

    /** Opens the BTF object with this id (1 is normally vmlinux). */
    public static BtfHandle fromId(int id) {
        return adopt(ObjectIds.BTF.require(id), "BTF id " + id);
    }

    private static BtfHandle adopt(Fd fd, String what) {
        return fd.adopt(f -> new BtfHandle(f, BtfInfo.read(f, what)));
    }

    /** The BTF object's info as read when it was opened. */
    public BtfInfo info() {
        return info;
    }

    @Override
    public String describe() {
        return "BTF object " + (info.name().isEmpty() ? "" : "\"" + info.name() + "\" ") + "(id " + info.id() + ")";
    }
}
