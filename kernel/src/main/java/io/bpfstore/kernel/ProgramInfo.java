package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfProgInfo;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.InfoAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel reports about a loaded program ({@code struct bpf_prog_info}).
 *
 * @param id            the program id
 * @param typeNumber    the program type number (see {@link #type()})
 * @param name          the name given at load time, truncated by the kernel to 15 bytes
 * @param tag           the hex tag: SHA-1 prefix of the instructions as loaded, the same as bpftool's
 * @param loadTimeNanos CLOCK_BOOTTIME nanoseconds at load (see {@link #loadedAt()})
 * @param createdByUid  the uid of the loading process
 * @param mapIds        ids of the maps the program uses
 * @param runTimeNanos  accumulated run time; counted only while statistics are enabled
 * @param runCount      number of runs; counted only while statistics are enabled
 * @param bytesXlated   size of the translated (post-verifier) instructions
 * @param bytesJited    size of the JIT-compiled code (0 without JIT or when hidden from this caller)
 * @param gplCompatible whether the license is GPL-compatible
 * @param btfId         id of the program's BTF object, 0 if none
 * @param verifiedInstructions instructions processed by the verifier
 */
public record ProgramInfo(int id, int typeNumber, String name, String tag, long loadTimeNanos, int createdByUid,
                          List<Integer> mapIds, long runTimeNanos, long runCount, int bytesXlated, int bytesJited,
                          boolean gplCompatible, int btfId, int verifiedInstructions) {
    private static final int MAX_MAP_IDS = 1 << 16;

    /** Copies the map ids. */
    public ProgramInfo {
        mapIds = List.copyOf(mapIds);
    }

    /** The program type, empty if this build does not know the kernel's number. */
    public Optional<ProgramType> type() {
        return ProgramType.fromNumber(typeNumber);
    }

    /** The type's name as bpftool prints it, or the number. */
    public String typeName() {
        return ProgramType.nameOf(typeNumber);
    }

    /** The wall-clock load time. */
    public Instant loadedAt() {
        return BootClock.toInstant(loadTimeNanos);
    }

    /** Reads the info of the program behind {@code fd}. */
    static ProgramInfo read(Fd fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            int capacity = 64;
            while (true) {
                MemorySegment ids = arena.allocate(ValueLayout.JAVA_INT, capacity);
                BpfProgInfo info = new BpfProgInfo(arena).mapIds(ids, capacity);
                BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(fd.value(), info).segment());
                int count = info.nrMapIds();
                if (count < 0 || count > MAX_MAP_IDS) {
                    throw new BpfException("read info of " + what, Errno.EINVAL.number(),
                            "the kernel reported " + count + " map ids", "");
                }
                if (count > capacity) {
                    capacity = count;
                    continue;
                }
                List<Integer> mapIds = Arrays.stream(ids.asSlice(0, (long) count * 4).toArray(ValueLayout.JAVA_INT))
                        .boxed().toList();
                return new ProgramInfo(info.id(), info.type(), info.name(), HexFormat.of().formatHex(info.tag()),
                        info.loadTime(), info.createdByUid(), mapIds, info.runTimeNs(), info.runCnt(),
                        info.xlatedProgLen(), info.jitedProgLen(), info.gplCompatible(), info.btfId(),
                        info.verifiedInsns());
            }
        } catch (SyscallException e) {
            throw BpfException.of("read info of " + what, e);
        }
    }

    /** Reads the translated instructions (8 bytes each) of the program behind {@code fd}. */
    static byte[] translatedInstructions(Fd fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            BpfProgInfo first = new BpfProgInfo(arena);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(fd.value(), first).segment());
            int length = first.xlatedProgLen();
            if (length < 0 || length > (1 << 30)) {
                throw new BpfException("read instructions of " + what, Errno.EINVAL.number(),
                        "the kernel reported " + length + " bytes", "");
            }
            if (length == 0) {
                return new byte[0];
            }
            MemorySegment buffer = arena.allocate(length, 8);
            BpfProgInfo second = new BpfProgInfo(arena).xlatedProgInsns(buffer);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(fd.value(), second).segment());
            return buffer.asSlice(0, Math.min(length, second.xlatedProgLen())).toArray(ValueLayout.JAVA_BYTE);
        } catch (SyscallException e) {
            throw BpfException.of("read instructions of " + what, e);
        }
    }
}
