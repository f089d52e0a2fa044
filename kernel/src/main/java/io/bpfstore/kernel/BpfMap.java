package io.bpfstore.kernel;

import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.MapBatchAttr;
import io.bpfstore.kernel.sys.MapCreateAttr;
import io.bpfstore.kernel.sys.MapElemAttr;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A map held through a file descriptor. Keys and values are raw bytes in the kernel's layout (native byte
 * order). For per-CPU maps a value is {@link #valueBufferSize()} bytes: one 8-byte-aligned slot per possible CPU.
 */
public final class BpfMap extends KernelObject {

    private final MapInfo info;

    private BpfMap(Fd fd, MapInfo info) {
        super(fd, info.id());
        this.info = info;
    }

    /**
     * Creates a map.
     *
     * @throws BpfException if the kernel refuses (e.g. EINVAL for sizes the type does not allow)
     */
    public static BpfMap create(MapSpec spec) {
        String what = "create " + spec.type().bpftoolName() + " map \"" + spec.name() + "\"";
        try (Arena arena = Arena.ofConfined()) {
            MapCreateAttr attr = new MapCreateAttr(arena).mapType(spec.type().number()).keySize(spec.keySize())
                    .valueSize(spec.valueSize()).maxEntries(spec.maxEntries()).mapFlags(spec.flags())
                    .mapName(spec.name()).mapExtra(spec.mapExtra());
            if (spec.innerMapFd() >= 0) {
                attr.innerMapFd(spec.innerMapFd());
            }
            return adopt(Fd.of(BpfSyscall.call(BpfCommand.MAP_CREATE, attr.segment())), what);
        } catch (SyscallException e) {
            throw BpfException.of(what, e);
        }
    }

    /** Opens the map with this id. */
    public static BpfMap fromId(int id) {
        return adopt(ObjectIds.MAP.require(id), "map id " + id);
    }

    /** Opens the map pinned at {@code path}. */
    public static BpfMap openPinned(Path path) {
        return adopt(Pins.open(path, "map"), "map pinned at " + path);
    }

    /** Wraps an fd, closing it if its info cannot be read. */
    private static BpfMap adopt(Fd fd, String what) {
        return fd.adopt(f -> new BpfMap(f, MapInfo.read(f, what)));
    }

    /** The map's info as read when it was opened (type, sizes and name do not change). */
    public MapInfo info() {
        return info;
    }

    /** Whether values hold one slot per possible CPU. */
    public boolean isPerCpu() {
        return info.type().map(t -> switch (t) {
            case PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH, PERCPU_CGROUP_STORAGE -> true;
            default -> false;
        }).orElse(false);
    }

    /** The size of a value as user space reads and writes it. */
    public int valueBufferSize() {
        return isPerCpu() ? ((info.valueSize() + 7) & ~7) * PossibleCpus.count() : info.valueSize();
    }

    /** The value stored under {@code key}, empty if there is none. */
    public Optional<byte[]> lookup(byte[] key) {
        return readValue(BpfCommand.MAP_LOOKUP_ELEM, key, "look up a key in ");
    }

    /** Stores {@code value} under {@code key}. */
    public void update(byte[] key, byte[] value, UpdateMode mode) {
        checkKey(key);
        if (value.length != valueBufferSize()) {
            throw new IllegalArgumentException(describe() + " has " + valueBufferSize() + "-byte values, got "
                    + value.length + " bytes");
        }
        try (Arena arena = Arena.ofConfined()) {
            MapElemAttr attr = new MapElemAttr(arena).mapFd(fd().value()).key(segment(arena, key))
                    .value(segment(arena, value)).flags(mode.flag());
            BpfSyscall.call(BpfCommand.MAP_UPDATE_ELEM, attr.segment());
        } catch (SyscallException e) {
            throw BpfException.of("update a key in " + describe(), e);
        }
    }

    /** Deletes {@code key}; returns whether it existed. */
    public boolean delete(byte[] key) {
        checkKey(key);
        try (Arena arena = Arena.ofConfined()) {
            MapElemAttr attr = new MapElemAttr(arena).mapFd(fd().value()).key(segment(arena, key));
            return elementCall(BpfCommand.MAP_DELETE_ELEM, attr, "delete a key in ");
        }
    }

    /**
     * Reads and removes the value under {@code key} (BPF_MAP_LOOKUP_AND_DELETE_ELEM); for queues and stacks,
     * whose keys are empty, this pops the next element. Empty if there is none.
     */
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        return readValue(BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, key, "take an element out of ");
    }

    /** {@code command} (lookup, or lookup and delete) on {@code key}: the value it writes, empty on ENOENT. */
    private Optional<byte[]> readValue(BpfCommand command, byte[] key, String what) {
        checkKey(key);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(Math.max(1, valueBufferSize()), 8);
            MapElemAttr attr = new MapElemAttr(arena).mapFd(fd().value()).key(segment(arena, key)).value(value);
            return elementCall(command, attr, what)
                    ? Optional.of(value.asSlice(0, valueBufferSize()).toArray(ValueLayout.JAVA_BYTE))
                    : Optional.empty();
        }
    }

    /**
     * Runs an element command whose ENOENT means "no such key" (or "no next key"): false then, true on success;
     * any other error is a {@link BpfException} saying {@code what} it was doing to this map.
     */
    private boolean elementCall(BpfCommand command, MapElemAttr attr, String what) {
        long result = BpfSyscall.invoke(command, attr.segment());
        if (result == -Errno.ENOENT.number()) {
            return false;
        }
        if (result < 0) {
            throw BpfException.of(what + describe(), new SyscallException(command, (int) -result));
        }
        return true;
    }

    /**
     * Creates or replaces many entries with one BPF_MAP_UPDATE_BATCH call (batch updates know no
     * NOEXIST/EXIST modes: the kernel accepts only BPF_F_LOCK as element flag).
     *
     * @return how many entries the kernel stored
     * @throws BpfException if it failed part-way; the message says how many were stored before
     */
    public int updateBatch(List<Map.Entry<byte[], byte[]>> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        int keySize = info.keySize();
        int valueSize = valueBufferSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = arena.allocate(Math.max(1L, (long) keySize * entries.size()), 8);
            MemorySegment values = arena.allocate(Math.max(1L, (long) valueSize * entries.size()), 8);
            for (int i = 0; i < entries.size(); i++) {
                byte[] key = entries.get(i).getKey();
                byte[] value = entries.get(i).getValue();
                checkKey(key);
                if (value.length != valueSize) {
                    throw new IllegalArgumentException(describe() + " has " + valueSize + "-byte values, entry " + i
                            + " has " + value.length);
                }
                MemorySegment.copy(key, 0, keys, ValueLayout.JAVA_BYTE, (long) i * keySize, keySize);
                MemorySegment.copy(value, 0, values, ValueLayout.JAVA_BYTE, (long) i * valueSize, valueSize);
            }
            MapBatchAttr attr = new MapBatchAttr(arena).mapFd(fd().value()).keys(keys).values(values)
                    .count(entries.size());
            long result = BpfSyscall.invoke(BpfCommand.MAP_UPDATE_BATCH, attr.segment());
            if (result < 0) {
                throw BpfException.of("update " + entries.size() + " entries of " + describe() + " (" + attr.count()
                        + " stored before the failure)", new SyscallException(BpfCommand.MAP_UPDATE_BATCH, (int) -result));
            }
            return attr.count();
        }
    }

    /** The key after {@code key} in the map's order, or the first key when {@code key} is null; empty at the end. */
    public Optional<byte[]> nextKey(byte[] key) {
        if (key != null) {
            checkKey(key);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = arena.allocate(Math.max(1, info.keySize()), 8);
            MapElemAttr attr = new MapElemAttr(arena).mapFd(fd().value())
                    .key(key == null ? MemorySegment.NULL : segment(arena, key)).nextKey(next);
            return elementCall(BpfCommand.MAP_GET_NEXT_KEY, attr, "iterate the keys of ")
                    ? Optional.of(next.asSlice(0, info.keySize()).toArray(ValueLayout.JAVA_BYTE))
                    : Optional.empty();
        }
    }

    /**
     * All keys, in the map's order. At most {@code max_entries} keys are returned: when keys are deleted
     * concurrently a hash map restarts from its first key, and this bound keeps that from looping forever.
     */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        if (info.keySize() == 0) {
            return keys;
        }
        Optional<byte[]> next = nextKey(null);
        while (next.isPresent() && keys.size() < info.maxEntries()) {
            keys.add(next.get());
            next = nextKey(next.get());
        }
        return keys;
    }

    /**
     * All entries, read with BPF_MAP_LOOKUP_BATCH in chunks of {@code chunk} elements: one syscall per
     * chunk instead of two per key. Hash maps may return fewer entries per call than asked (a bucket is never
     * split), and ENOSPC means one bucket alone exceeds the chunk; the chunk is then doubled.
     *
     * @throws BpfException with EINVAL or ENOTSUPP for map types without batch support (queues, ring buffers, ...)
     */
    public List<Map.Entry<byte[], byte[]>> lookupBatch(int chunk) {
        if (chunk < 1 || chunk > (1 << 20)) {
            throw new IllegalArgumentException("batch size " + chunk + " is not in 1..1048576");
        }
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        int keySize = info.keySize();
        int valueSize = valueBufferSize();
        int size = chunk;
        try (Arena arena = Arena.ofConfined()) {
            // The cursor is opaque; the kernel writes at most a key's worth (4 bytes for hash buckets/array indexes).
            MemorySegment cursorIn = arena.allocate(Math.max(8, keySize), 8);
            MemorySegment cursorOut = arena.allocate(Math.max(8, keySize), 8);
            boolean first = true;
            while (true) {
                try (Arena call = Arena.ofConfined()) {
                    MemorySegment keys = call.allocate(Math.max(1L, (long) keySize * size), 8);
                    MemorySegment values = call.allocate(Math.max(1L, (long) valueSize * size), 8);
                    MapBatchAttr attr = new MapBatchAttr(call).mapFd(fd().value())
                            .inBatch(first ? MemorySegment.NULL : cursorIn).outBatch(cursorOut)
                            .keys(keys).values(values).count(size);
                    long result = BpfSyscall.invoke(BpfCommand.MAP_LOOKUP_BATCH, attr.segment());
                    if (result == -Errno.ENOSPC.number() && size < (1 << 20)) {
                        size *= 2;
                        continue;
                    }
                    if (result < 0 && result != -Errno.ENOENT.number()) {
                        throw BpfException.of("read the entries of " + describe() + " in batches",
                                new SyscallException(BpfCommand.MAP_LOOKUP_BATCH, (int) -result));
                    }
                    int count = Math.min(attr.count(), size);
                    for (int i = 0; i < count; i++) {
                        entries.add(Map.entry(
                                keys.asSlice((long) i * keySize, keySize).toArray(ValueLayout.JAVA_BYTE),
                                values.asSlice((long) i * valueSize, valueSize).toArray(ValueLayout.JAVA_BYTE)));
                    }
                    if (result == -Errno.ENOENT.number() || entries.size() > info.maxEntries()) {
                        return entries; // ENOENT: no more elements after this (possibly partial) chunk
                    }
                    MemorySegment.copy(cursorOut, 0, cursorIn, 0, cursorIn.byteSize());
                    first = false;
                }
            }
        }
    }

    /** Makes the map read-only for user space (programs can still write); irreversible. */
    public void freeze() {
        try (Arena arena = Arena.ofConfined()) {
            BpfSyscall.call(BpfCommand.MAP_FREEZE, new MapElemAttr(arena).mapFd(fd().value()).segment());
        } catch (SyscallException e) {
            throw BpfException.of("freeze " + describe(), e);
        }
    }

    @Override
    public String describe() {
        return "map \"" + info.name() + "\" (id " + info.id() + ")";
    }

    private void checkKey(byte[] key) {
        if (key.length != info.keySize()) {
            throw new IllegalArgumentException(describe() + " has " + info.keySize() + "-byte keys, got "
                    + key.length + " bytes");
        }
    }

    private static MemorySegment segment(Arena arena, byte[] bytes) {
        if (bytes.length == 0) {
            return MemorySegment.NULL;
        }
        MemorySegment segment = arena.allocate(bytes.length, 8);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return segment;
    }
}
