package io.bpfstore.agent.metrics;

import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.kernel.PossibleCpus;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfLinkInfo;
import io.bpfstore.kernel.sys.BpfMapInfo;
import io.bpfstore.kernel.sys.BpfProgInfo;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.GetIdAttr;
import io.bpfstore.kernel.sys.InfoAttr;
import io.bpfstore.kernel.sys.MapBatchAttr;
import io.bpfstore.kernel.sys.MapElemAttr;
import io.bpfstore.kernel.sys.ObjPinAttr;
import io.bpfstore.kernel.sys.Struct;
import io.bpfstore.kernel.LinkType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bpf(2) reads of one scrape, with the attributes, info structures and buffers kept between scrapes: a scrape
 * opens each pin once (BPF_OBJ_GET), reads that object's info once (BPF_OBJ_GET_INFO_BY_FD) and closes it. The
 * kernel module's {@code BpfProgram}/{@code BpfMap}/{@code BpfLink} read the whole info at open and again on
 * {@code info()}, and allocate per call; at a thousand installations per scrape that was most of its cost.
 *
 * <p>Not thread-safe: the collector runs one scrape at a time. No descriptor outlives a call, so a scrape never keeps
 * an uninstalled program or map alive.
 */
final class ScrapeReads {
    /** Scratch for map entry counts: keys and values of one BPF_MAP_LOOKUP_BATCH call. */
    private static final int SCRATCH = 256 * 1024;
    /** {@code BPF_F_NO_PREALLOC}: a hash map that allocates its elements on update. */
    private static final int NO_PREALLOC = 1;

    private final Arena arena = Arena.ofAuto();
    /** errno of the last call: one for all of them instead of an allocation per call. */
    private final MemorySegment state = BpfSyscall.callState(arena);
    private final ObjPinAttr pin = new ObjPinAttr(arena);
    private final InfoAttr info = new InfoAttr(arena);
    private final GetIdAttr ids = new GetIdAttr(arena);
    private final MapBatchAttr batch = new MapBatchAttr(arena);
    private final MapElemAttr elem = new MapElemAttr(arena);
    /** The last program info read by {@link #program}. */
    final BpfProgInfo program = new BpfProgInfo(arena);
    /** The last map info read by {@link #map}. */
    final BpfMapInfo map = new BpfMapInfo(arena);
    /** The last link info read by {@link #link}. */
    final BpfLinkInfo link = new BpfLinkInfo(arena);
    private MemorySegment scratch = arena.allocate(SCRATCH, 8);
    private MemorySegment cursorIn = arena.allocate(64, 8);
    private MemorySegment cursorOut = arena.allocate(64, 8);
    private final ByteBuffer fdinfo = ByteBuffer.allocate(4096);
    private static final byte[] MEMLOCK = "memlock:".getBytes(StandardCharsets.US_ASCII);
    private int[] idList = new int[256];

    /** A pin's path as the NUL-terminated string BPF_OBJ_GET takes, in memory that lives as long as the caller keeps it. */
    static MemorySegment path(Arena arena, Path path) {
        return arena.allocateFrom(path.toString());
    }

    /** Opens the object pinned at {@code path}: its descriptor, or -errno (ENOENT: no such pin). */
    int open(MemorySegment path) {
        pin.segment().fill((byte) 0);
        pin.pathname(path);
        return (int) BpfSyscall.invoke(BpfCommand.OBJ_GET, pin.segment(), state);
    }

    /** Closes a descriptor {@link #open} returned. */
    void close(int fd) {
        BpfSyscall.close(fd, state);
    }

    /** Reads the info of the program behind {@code fd} into {@link #program}; false if the kernel refuses. */
    boolean program(int fd) {
        return info(fd, program);
    }

    /** Reads the info of the map behind {@code fd} into {@link #map}; false if the kernel refuses. */
    boolean map(int fd) {
        return info(fd, map);
    }

    /** Reads the info of the link behind {@code fd} into {@link #link}; false if the kernel refuses. */
    boolean link(int fd) {
        return info(fd, link);
    }

    private boolean info(int fd, Struct into) {
        // zeroed each time: the kernel reads the buffer pointers and counts of the structure it is given
        into.segment().fill((byte) 0);
        info.segment().fill((byte) 0);
        return BpfSyscall.invoke(BpfCommand.OBJ_GET_INFO_BY_FD, info.of(fd, into).segment(), state) >= 0;
    }

    /**
     * Whether the link in {@link #link} still holds its hook: network links lose their interface when it goes away
     * or they are detached (ifindex 0), cgroup links their cgroup; others their program (as install's status says).
     */
    boolean linkAttached() {
        int type = link.type();
        if (type == LinkType.XDP.number()) {
            return link.xdpIfindex() != 0;
        } else if (type == LinkType.TCX.number()) {
            return link.tcxIfindex() != 0;
        } else if (type == LinkType.CGROUP.number()) {
            return link.cgroupId() != 0;
        }
        return link.progId() != 0;
    }

    /**
     * Entries in the map behind {@code fd} whose info is in {@link #map}: max_entries for arrays (every slot exists),
     * -1 for types without a count (ring buffers, queues, local storage, ...), else the elements there are now. Those are counted
     * with BPF_MAP_LOOKUP_BATCH (one call per 256 KiB of keys and values, the entries never leave native memory);
     * types without batch support are walked with BPF_MAP_GET_NEXT_KEY.
     */
    long entries(int fd) {
        MapType type = MapType.fromNumber(map.type()).orElse(MapType.UNSPEC);
        return switch (type) {
            case ARRAY, PERCPU_ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, CGROUP_ARRAY, ARRAY_OF_MAPS -> map.maxEntries();
            case RINGBUF, USER_RINGBUF, QUEUE, STACK, BLOOM_FILTER, STRUCT_OPS, ARENA -> -1;
            default -> map.keySize() == 0 ? 0 : count(fd, type);
        };
    }

    private long count(int fd, MapType type) {
        int keySize = map.keySize();
        boolean perCpu = type == MapType.PERCPU_HASH || type == MapType.LRU_PERCPU_HASH;
        long valueSize = perCpu ? ((map.valueSize() + 7L) & ~7L) * PossibleCpus.count() : map.valueSize();
        long per = keySize + Math.max(1, valueSize);
        if (cursorIn.byteSize() < keySize) {
            cursorIn = arena.allocate(keySize, 8);
            cursorOut = arena.allocate(keySize, 8);
        }
        long capacity = Math.max(1, Math.min(map.maxEntries(), SCRATCH / per));
        long total = 0;
        boolean first = true;
        while (true) {
            if (scratch.byteSize() < capacity * per) {
                scratch = arena.allocate(capacity * per, 8);
            }
            batch.segment().fill((byte) 0);
            batch.mapFd(fd).inBatch(first ? MemorySegment.NULL : cursorIn).outBatch(cursorOut)
                    .keys(scratch).values(scratch.asSlice(capacity * keySize)).count((int) capacity);
            long result = BpfSyscall.invoke(BpfCommand.MAP_LOOKUP_BATCH, batch.segment(), state);
            if (result == -Errno.ENOSPC.number() && capacity < (1 << 20)) {
                capacity *= 2; // one hash bucket holds more than the batch: the kernel never splits a bucket
                continue;
            }
            if (result < 0 && result != -Errno.ENOENT.number()) {
                return walk(fd); // no batch support for this type (or a failure mid-way): key by key from the start
            }
            total += Math.min(batch.count(), capacity);
            if (result == -Errno.ENOENT.number() || total >= map.maxEntries()) {
                return Math.min(total, map.maxEntries());
            }
            MemorySegment.copy(cursorOut, 0, cursorIn, 0, keySize);
            first = false;
        }
    }

    /**
     * Counts the keys of the map behind {@code fd} with BPF_MAP_GET_NEXT_KEY, at most max_entries; -1 when the kernel
     * walks no key of this type.
     */
    private long walk(int fd) {
        int keySize = map.keySize();
        if (scratch.byteSize() < 2L * keySize) {
            scratch = arena.allocate(2L * keySize, 8);
        }
        MemorySegment a = scratch.asSlice(0, keySize);
        MemorySegment b = scratch.asSlice(keySize, keySize);
        long count = 0;
        MemorySegment key = MemorySegment.NULL;
        MemorySegment next = a;
        while (count < map.maxEntries()) {
            elem.segment().fill((byte) 0);
            elem.mapFd(fd).key(key).nextKey(next);
            long result = BpfSyscall.invoke(BpfCommand.MAP_GET_NEXT_KEY, elem.segment(), state);
            if (result < 0) {
                // ENOENT: past the last key. Refused at the first key: a type that cannot be walked (local storage
                // maps), which has no count
                return count == 0 && result != -Errno.ENOENT.number() ? -1 : count;
            }
            count++;
            key = next;
            next = next == a ? b : a;
        }
        return count;
    }

    /**
     * Whether the charge of the map in {@link #map} is fixed at creation, so a figure read once holds for the map's
     * life: arrays, ring buffers and preallocated hash maps (the default; LRU maps always) charge their whole
     * capacity up front. A hash map created with BPF_F_NO_PREALLOC, a trie and the others grow with their entries.
     */
    boolean fixedCharge() {
        MapType type = MapType.fromNumber(map.type()).orElse(MapType.UNSPEC);
        return switch (type) {
            case ARRAY, PERCPU_ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, CGROUP_ARRAY, RINGBUF, LRU_HASH, LRU_PERCPU_HASH -> true;
            case HASH, PERCPU_HASH -> (map.mapFlags() & NO_PREALLOC) == 0;
            default -> false;
        };
    }

    /** The {@code memlock:} line of the fdinfo of {@code fd}: the kernel's charge for that map; -1 if unreadable. */
    long memlock(int fd) {
        try (FileChannel channel = FileChannel.open(Path.of("/proc/self/fdinfo/" + fd))) {
            fdinfo.clear();
            while (fdinfo.hasRemaining() && channel.read(fdinfo) > 0) {
                // fdinfo of a map is a few hundred bytes
            }
        } catch (IOException e) {
            return -1;
        }
        byte[] text = fdinfo.array();
        int end = fdinfo.position();
        for (int line = 0; line < end; ) {
            if (end - line >= MEMLOCK.length && Arrays.equals(text, line, line + MEMLOCK.length, MEMLOCK, 0, MEMLOCK.length)) {
                long value = 0;
                int at = line + MEMLOCK.length;
                while (at < end && (text[at] == ' ' || text[at] == '\t')) {
                    at++;
                }
                int digits = at;
                while (at < end && text[at] >= '0' && text[at] <= '9') {
                    value = value * 10 + (text[at++] - '0');
                }
                return at > digits ? value : -1;
            }
            while (line < end && text[line] != '\n') {
                line++;
            }
            line++;
        }
        return -1;
    }

    /**
     * The ids of every program on the host now, ascending (BPF_PROG_GET_NEXT_ID), into an array kept between calls;
     * returns how many. Programs can be unloaded right after.
     */
    int programIds() {
        int n = 0;
        int current = 0;
        while (true) {
            ids.segment().fill((byte) 0);
            ids.id(current);
            if (BpfSyscall.invoke(BpfCommand.PROG_GET_NEXT_ID, ids.segment(), state) < 0) {
                return n; // ENOENT: no more (any other error: the ids seen so far)
            }
            int next = ids.nextId();
            if (Integer.compareUnsigned(next, current) <= 0) {
                return n; // the kernel never goes backwards; guard against looping forever
            }
            if (n == idList.length) {
                idList = Arrays.copyOf(idList, n * 2);
            }
            idList[n++] = next;
            current = next;
        }
    }

    /** The ids {@link #programIds} found (its first n entries). */
    int[] idList() {
        return idList;
    }
}
