package io.bpfstore.bytecode.sections;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Test oracle: the system's libbpf ({@code libbpf.so.1}, Debian 12 ships 1.1.2) called through FFM. Loading fails
 * loudly when the library is missing: CI installs libbpf1.
 */
@SuppressWarnings("restricted")
final class Libbpf {
    /** The libbpf release Debian 12 ships; the exception lists in the tests are relative to it. */
    static final String VERSION = "1.1.2";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());
    private static final MethodHandle PROG_TYPE_BY_NAME =
            handle("libbpf_prog_type_by_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle ATTACH_TYPE_BY_NAME =
            handle("libbpf_attach_type_by_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle PROG_TYPE_STR = handle("libbpf_bpf_prog_type_str",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle ATTACH_TYPE_STR = handle("libbpf_bpf_attach_type_str",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle MAP_TYPE_STR = handle("libbpf_bpf_map_type_str",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle LIBBPF_MAJOR = handle("libbpf_major_version", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle LIBBPF_MINOR = handle("libbpf_minor_version", FunctionDescriptor.of(JAVA_INT));

    /** What {@code libbpf_prog_type_by_name} answered for a section name. */
    record Guess(int programType, int expectedAttachType) {
    }

    private Libbpf() {
    }

    private static MethodHandle handle(String symbol, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIB.find(symbol)
                .orElseThrow(() -> new AssertionError("libbpf.so.1 has no " + symbol)), descriptor);
    }

    /** {@code major.minor} of the loaded library. */
    static String majorMinor() {
        try {
            return (int) LIBBPF_MAJOR.invokeExact() + "." + (int) LIBBPF_MINOR.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code libbpf_prog_type_by_name(name, &type, &attach)}; empty on an error return ({@code -ESRCH}). */
    static Optional<Guess> progTypeByName(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment type = arena.allocate(JAVA_INT);
            MemorySegment attach = arena.allocate(JAVA_INT);
            int rc = (int) PROG_TYPE_BY_NAME.invokeExact(arena.allocateFrom(name), type, attach);
            return rc == 0
                    ? Optional.of(new Guess(type.get(JAVA_INT, 0), attach.get(JAVA_INT, 0)))
                    : Optional.empty();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code libbpf_attach_type_by_name(name, &attach)}; empty on an error return ({@code -EINVAL}). */
    static Optional<Integer> attachTypeByName(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attach = arena.allocate(JAVA_INT);
            int rc = (int) ATTACH_TYPE_BY_NAME.invokeExact(arena.allocateFrom(name), attach);
            return rc == 0 ? Optional.of(attach.get(JAVA_INT, 0)) : Optional.empty();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static Optional<String> progTypeStr(int type) {
        return string(PROG_TYPE_STR, type);
    }

    static Optional<String> attachTypeStr(int type) {
        return string(ATTACH_TYPE_STR, type);
    }

    static Optional<String> mapTypeStr(int type) {
        return string(MAP_TYPE_STR, type);
    }

    private static Optional<String> string(MethodHandle function, int value) {
        try {
            MemorySegment s = (MemorySegment) function.invokeExact(value);
            return s.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(s.reinterpret(256).getString(0));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
