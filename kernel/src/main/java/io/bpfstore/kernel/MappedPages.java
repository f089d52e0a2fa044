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
        int[] errno = new int[1];
        return Libc.mmapShared(length, prot, fd, offset, errno).orElseThrow(() -> new BpfException("map " + what,
                errno[0], "mmap of " + length + " bytes at offset " + offset + " refused", ""));
    }
}
