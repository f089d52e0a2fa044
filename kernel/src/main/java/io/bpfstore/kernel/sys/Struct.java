package io.bpfstore.kernel.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A kernel structure in native memory, described by a {@link java.lang.foreign.StructLayout} whose element
 * names are the kernel's C member names. Subclasses add typed accessors for their fields; offsets are
 * computed from the layout once, so a misplaced field is a layout error, not a silent wrong offset.
 */
public abstract class Struct {
    /** A {@code __u32}/{@code __s32} field. */
    protected static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    /** A {@code __u64} or {@code __aligned_u64} pointer field. */
    protected static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;

    private final MemorySegment segment;

    /** Wraps a zeroed segment of exactly the layout's size allocated in {@code arena}. */
    protected Struct(Arena arena, MemoryLayout layout) {
        this.segment = arena.allocate(layout);
    }

    /** The native memory of this structure; pass it to {@link BpfSyscall#call}. */
    public MemorySegment segment() {
        return segment;
    }

    /** A padding element of {@code bytes} bytes. */
    protected static MemoryLayout pad(long bytes) {
        return MemoryLayout.paddingLayout(bytes);
    }

    /** A {@code char name[n]} field. */
    protected static MemoryLayout chars(String name, long n) {
        return MemoryLayout.sequenceLayout(n, ValueLayout.JAVA_BYTE).withName(name);
    }

    /**
     * Byte offset of the element reached by following the names of {@code path}, looking through unnamed
     * groups as C does for anonymous structs and unions.
     *
     * @throws IllegalArgumentException if a name is not found (a programming error in a layout class)
     */
    protected static long offset(MemoryLayout layout, String... path) {
        MemoryLayout current = layout;
        long offset = 0;
        for (String name : path) {
            Found found = find(current, name, 0);
            if (found == null) {
                throw new IllegalArgumentException("no field " + name + " in " + layout);
            }
            current = found.layout();
            offset += found.offset();
        }
        return offset;
    }

    private record Found(MemoryLayout layout, long offset) {
    }

    private static Found find(MemoryLayout layout, String name, long base) {
        if (!(layout instanceof GroupLayout group)) {
            return null;
        }
        long offset = base;
        for (MemoryLayout member : group.memberLayouts()) {
            if (member.name().filter(name::equals).isPresent()) {
                return new Found(member, offset);
            }
            if (member.name().isEmpty()) {
                Found inner = find(member, name, offset);
                if (inner != null) {
                    return inner;
                }
            }
            if (group instanceof StructLayout) {
                offset += member.byteSize();
            }
        }
        return null;
    }

    /** Writes a 32-bit field. */
    protected final void putU32(long offset, int value) {
        segment.set(U32, offset, value);
    }

    /** Reads a 32-bit field. */
    protected final int u32(long offset) {
        return segment.get(U32, offset);
    }

    /** Writes a 64-bit field. */
    protected final void putU64(long offset, long value) {
        segment.set(U64, offset, value);
    }

    /** Reads a 64-bit field. */
    protected final long u64(long offset) {
        return segment.get(U64, offset);
    }

    /** Writes the address of {@code target} (or 0 for {@link MemorySegment#NULL}) into a pointer field. */
    protected final void putPointer(long offset, MemorySegment target) {
        segment.set(U64, offset, target.address());
    }

    /**
     * Writes {@code value} as a NUL-terminated string into a {@code char[capacity]} field.
     *
     * @throws IllegalArgumentException if it does not fit with its terminator
     */
    protected final void putChars(long offset, long capacity, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= capacity) {
            throw new IllegalArgumentException("\"" + value + "\" is longer than " + (capacity - 1) + " bytes");
        }
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, bytes.length);
    }

    /** Reads a {@code char[capacity]} field up to its first NUL. */
    protected final String chars(long offset, long capacity) {
        return cString(segment.asSlice(offset, capacity));
    }

    /** Reads bytes of a fixed-size field. */
    protected final byte[] bytes(long offset, int length) {
        return segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The bytes of {@code memory} up to its first NUL (or all of it), decoded as UTF-8. */
    public static String cString(MemorySegment memory) {
        byte[] all = memory.toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < all.length && all[end] != 0) {
            end++;
        }
        return new String(all, 0, end, StandardCharsets.UTF_8);
    }
}
