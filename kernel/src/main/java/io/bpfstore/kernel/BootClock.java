package io.bpfstore.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Instant;

/**
 * Converts the kernel's "nanoseconds since boot" timestamps (such as a program's load_time, taken from
 * CLOCK_BOOTTIME) into wall-clock instants, the way bpftool does: now(REALTIME) - now(BOOTTIME) + t.
 */
public final class BootClock {
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_BOOTTIME = 7;
    private static final MethodHandle CLOCK_GETTIME;

    static {
        Linker linker = Linker.nativeLinker();
        CLOCK_GETTIME = linker.downcallHandle(linker.defaultLookup().find("clock_gettime").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    private BootClock() {
    }

    /** The wall-clock instant of a CLOCK_BOOTTIME timestamp in nanoseconds. */
    public static Instant toInstant(long bootNanos) {
        long realtime = now(CLOCK_REALTIME);
        long boottime = now(CLOCK_BOOTTIME);
        long epochNanos = realtime - boottime + bootNanos;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private static long now(int clock) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);
            int result = (int) CLOCK_GETTIME.invokeExact(clock, timespec);
            if (result != 0) {
                throw new IllegalStateException("clock_gettime(" + clock + ") failed");
            }
            return timespec.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + timespec.get(ValueLayout.JAVA_LONG, 8);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime downcall failed", t);
        }
    }
}
