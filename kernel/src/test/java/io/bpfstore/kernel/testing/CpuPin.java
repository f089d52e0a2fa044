package io.bpfstore.kernel.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Pins the calling thread to one CPU until closed, for tests whose oracle depends on where the kernel runs a program:
 * BPF_PROG_TEST_RUN runs on the caller's current CPU, and per-CPU buffers (perf event arrays) fill per CPU.
 * {@code sched_setaffinity(0, ...)} applies to the calling thread only, which is the Java thread making the downcall.
 */
public final class CpuPin implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GET = handle("sched_getaffinity");
    private static final MethodHandle SET = handle("sched_setaffinity");
    /** Room for 8,192 CPUs, glibc's cpu_set_t is 1,024. */
    private static final int MASK_BYTES = 1024;

    private final byte[] previous;

    private CpuPin(byte[] previous) {
        this.previous = previous;
    }

    private static MethodHandle handle(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS));
    }

    /** Pins the calling thread to {@code cpu}; closing restores the mask it had. */
    public static CpuPin to(int cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES);
            int got = (int) GET.invokeExact(0, (long) MASK_BYTES, mask);
            if (got < 0) {
                throw new IllegalStateException("sched_getaffinity failed");
            }
            byte[] previous = mask.toArray(ValueLayout.JAVA_BYTE);
            set(arena, only(cpu));
            return new CpuPin(previous);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static byte[] only(int cpu) {
        byte[] mask = new byte[MASK_BYTES];
        mask[cpu / 8] = (byte) (1 << (cpu % 8));
        return mask;
    }

    private static void set(Arena arena, byte[] bits) throws Throwable {
        MemorySegment mask = arena.allocate(MASK_BYTES);
        mask.copyFrom(MemorySegment.ofArray(bits));
        if ((int) SET.invokeExact(0, (long) MASK_BYTES, mask) != 0) {
            throw new IllegalStateException("sched_setaffinity failed");
        }
    }

    @Override
    public void close() {
        try (Arena arena = Arena.ofConfined()) {
            set(arena, previous);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
