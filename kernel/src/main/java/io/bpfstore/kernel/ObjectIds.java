package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.GetIdAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The four kinds of kernel object ids and how to list and open them (the *_GET_NEXT_ID and *_GET_FD_BY_ID commands). */
public enum ObjectIds {
    /** Program ids. */
    PROGRAM("program", BpfCommand.PROG_GET_NEXT_ID, BpfCommand.PROG_GET_FD_BY_ID),
    /** Map ids. */
    MAP("map", BpfCommand.MAP_GET_NEXT_ID, BpfCommand.MAP_GET_FD_BY_ID),
    /** Link ids. */
    LINK("link", BpfCommand.LINK_GET_NEXT_ID, BpfCommand.LINK_GET_FD_BY_ID),
    /** BTF object ids. */
    BTF("BTF object", BpfCommand.BTF_GET_NEXT_ID, BpfCommand.BTF_GET_FD_BY_ID);
    private final String noun;
    private final BpfCommand nextId;
    private final BpfCommand fdById;

    ObjectIds(String noun, BpfCommand nextId, BpfCommand fdById) {
        this.noun = noun;
        this.nextId = nextId;
        this.fdById = fdById;
    }

    /** Every id of this kind that exists now, ascending. Objects can vanish right after. */
    public List<Integer> list() {
        List<Integer> ids = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            int current = 0;
            while (true) {
                GetIdAttr attr = new GetIdAttr(arena).id(current);
                long result = BpfSyscall.invoke(nextId, attr.segment());
                if (result == -Errno.ENOENT.number()) {
                    return ids;
                }
                if (result < 0) {
                    throw BpfException.of("list " + noun + " ids", new SyscallException(nextId, (int) -result));
                }
                int next = attr.nextId();
                if (Integer.compareUnsigned(next, current) <= 0) {
                    return ids; // the kernel never goes backwards; guard against looping forever
                }
                ids.add(next);
                current = next;
            }
        }
    }

    /** Opens the object with this id; empty if it no longer exists. */
    public Optional<Fd> open(int id) {
        try (Arena arena = Arena.ofConfined()) {
            long result = BpfSyscall.invoke(fdById, new GetIdAttr(arena).id(id).segment());
            if (result == -Errno.ENOENT.number()) {
                return Optional.empty();
            }
            if (result < 0) {
                throw BpfException.of("open " + noun + " id " + id, new SyscallException(fdById, (int) -result));
            }
            return Optional.of(Fd.of(result));
        }
    }

    /** Opens the object with this id or throws a {@link BpfException} saying it does not exist. */
    public Fd require(int id) {
        return open(id).orElseThrow(() -> new BpfException("open " + noun + " id " + id, Errno.ENOENT.number(),
                "no " + noun + " with this id exists", ""));
    }
}
