package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.Libc;
import java.lang.foreign.MemorySegment;

/** Shared mappings of a kernel buffer (a ring buffer's pages, a perf event's ring), refused mappings as one error. */
final class MappedPages {
    private MappedPages() {
    }

    /**
     * Maps {@code length} bytes of {@code fd} from {@code offset}, shared.
     *
     * @throws BpfException naming {@code what} when the kernel refuses
     */
    static MemorySegment map(long length, int prot, int fd, long offset, String what) {
        long at = Libc.mmapShared(length, prot, fd, offset);
        if (at < 0) {
            throw new BpfException("map " + what, (int) -at, "mmap of " + length + " bytes at offset " + offset
                    + " refused", "");
        }
        return MemorySegment.ofAddress(at).reinterpret(length);
    }
}
