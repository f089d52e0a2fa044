package io.bpfstore.kernel;

import io.bpfstore.bytecode.asm.CodeBuilder;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.ProgLoadAttr;
import io.bpfstore.kernel.sys.Struct;
import io.bpfstore.kernel.sys.SyscallException;
import io.bpfstore.kernel.sys.TestRunAttr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A loaded program held through a file descriptor. Loading runs the kernel's verifier; a refusal becomes
 * a {@link BpfException} carrying the verifier log.
 */
public final class BpfProgram extends KernelObject {
    private static final int FIRST_LOG_SIZE = 64 * 1024;
    /** The kernel caps log_size at UINT_MAX >> 2; we stop well before to keep memory sane. */
    private static final int MAX_LOG_SIZE = 256 * 1024 * 1024;

    private final String name;
    private final String typeName;
    private final String verifierLog;

    private BpfProgram(Fd fd, int id, String name, String typeName, String verifierLog) {
        super(fd, id);
        this.name = name;
        this.typeName = typeName;
        this.verifierLog = verifierLog;
    }

    /**
     * Loads a program. With log level 0 the kernel is asked for no log unless the load fails; then it is
     * loaded again with log level 1 so that the exception can carry the verifier's reasons. A log buffer
     * that is too small (ENOSPC) is grown and the load retried.
     *
     * @throws BpfException if the verifier or the kernel refuses the program
     */
    public static BpfProgram load(ProgramSpec spec) {
        String what = "load program \"" + spec.name() + "\" (" + spec.type().bpftoolName() + ")";
        int logLevel = spec.logLevel();
        int logSize = logLevel > 0 ? FIRST_LOG_SIZE : 0;
        try (Arena arena = Arena.ofConfined()) {
            byte[] instructions = spec.instructions();
            MemorySegment insns = arena.allocate(instructions.length, 8);
            MemorySegment.copy(instructions, 0, insns, ValueLayout.JAVA_BYTE, 0, instructions.length);
            MemorySegment license = arena.allocateFrom(spec.license());
            while (true) {
                try (Arena attempt = Arena.ofConfined()) {
                    MemorySegment log = logSize > 0 ? attempt.allocate(logSize) : MemorySegment.NULL;
                    ProgLoadAttr attr = new ProgLoadAttr(attempt).progType(spec.type().number())
                            .insns(insns, spec.instructionCount()).license(license).log(logLevel, log)
                            .progName(spec.name()).progFlags(spec.flags()).kernVersion(spec.kernelVersion());
                    spec.expectedAttachType().ifPresent(t -> attr.expectedAttachType(t.number()));
                    long result = BpfSyscall.invoke(BpfCommand.PROG_LOAD, attr.segment());
                    String logText = logSize > 0 ? Struct.cString(log) : "";
                    if (result >= 0) {
                        return Fd.of(result).adopt(f -> new BpfProgram(f, ProgramInfo.read(f, what).id(),
                                spec.name(), spec.type().bpftoolName(), logText));
                    }
                    int errno = (int) -result;
                    if (Errno.ENOSPC.is(errno) && logSize > 0 && logSize < MAX_LOG_SIZE) {
                        logSize = (int) Math.min(MAX_LOG_SIZE, Math.max((long) logSize * 4, attr.logTrueSize()));
                        continue;
                    }
                    if (logSize == 0 && !Errno.EPERM.is(errno)) {
                        logLevel = 1; // failed without a log: ask again, with one, for the reasons
                        logSize = FIRST_LOG_SIZE;
                        continue;
                    }
                    throw new BpfException(what, errno, explain(errno, logText, spec), logText);
                }
            }
        }
    }

    /** What a load errno means; EACCES/EINVAL with a log are the verifier's verdict, EINVAL without one the attributes'. */
    private static String explain(int errno, String log, ProgramSpec spec) {
        boolean verifierSpoke = !log.isBlank();
        return switch (Errno.orNull(errno)) {
            case EACCES -> verifierSpoke ? "the verifier rejected it" : null;
            case EINVAL -> verifierSpoke
                    ? "the verifier rejected it (invalid program, or an attribute this kernel does not accept)"
                    : refusedAttributes(spec);
            case E2BIG -> "the program is too large or too complex for the verifier";
            case ENOSPC -> "the verifier log exceeded " + MAX_LOG_SIZE + " bytes";
            case null, default -> null;
        };
    }

    /**
     * Says which attribute an EINVAL without a verifier log is about, by loading the smallest program
     * ({@code r0 = 0; exit}) with the same type and attach type but no flags: if that fails too, the kernel
     * lacks the type (or attach type); otherwise it is the flags.
     */
    private static String refusedAttributes(ProgramSpec spec) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] minimal = new CodeBuilder().mov64(Register.R0, 0).exit().bytes();
            ProgLoadAttr attr = new ProgLoadAttr(arena).progType(spec.type().number())
                    .insns(arena.allocateFrom(ValueLayout.JAVA_BYTE, minimal), 2).license(arena.allocateFrom("GPL"))
                    .kernVersion(spec.kernelVersion());
            spec.expectedAttachType().ifPresent(t -> attr.expectedAttachType(t.number()));
            long result = BpfSyscall.invoke(BpfCommand.PROG_LOAD, attr.segment());
            if (result >= 0) {
                Fd.of(result).close();
                return "this kernel does not accept the program flags (0x" + Integer.toHexString(spec.flags())
                        + ") for this type";
            }
            return "this kernel does not support program type " + spec.type().bpftoolName()
                    + spec.expectedAttachType().map(t -> " with expected attach type " + t.libbpfName()).orElse("");
        }
    }

    /** Opens the program with this id. */
    public static BpfProgram fromId(int id) {
        return adopt(ObjectIds.PROGRAM.require(id), "program id " + id);
    }

    /** Opens the program pinned at {@code path}. */
    public static BpfProgram openPinned(Path path) {
        return adopt(Pins.open(path, "program"), "program pinned at " + path);
    }

    private static BpfProgram adopt(Fd fd, String what) {
        return fd.adopt(f -> {
            ProgramInfo info = ProgramInfo.read(f, what);
            return new BpfProgram(f, info.id(), info.name(), info.typeName(), "");
        });
    }

    /** The program's name (as given at load, or as the kernel reports it when opened by id or pin). */
    public String name() {
        return name;
    }

    /** The verifier log of a load with log level &gt; 0; empty otherwise. */
    public String verifierLog() {
        return verifierLog;
    }

    /** The kernel's current info about the program (statistics change between calls). */
    public ProgramInfo info() {
        return ProgramInfo.read(fd(), describe());
    }

    /** The instructions as the kernel holds them after verification (rewritten, 8 bytes each). */
    public byte[] translatedInstructions() {
        return ProgramInfo.translatedInstructions(fd(), describe());
    }

    /**
     * Runs the program once (or {@code repeat} times) on the given input with BPF_PROG_TEST_RUN.
     *
     * @throws BpfException if the kernel cannot test-run this program type or rejects the input
     */
    public TestRun.Result testRun(TestRun input) {
        try (Arena arena = Arena.ofConfined()) {
            byte[] data = input.data();
            byte[] context = input.context();
            TestRunAttr attr = new TestRunAttr(arena).progFd(fd().value()).repeat(input.repeat());
            MemorySegment dataOut = MemorySegment.NULL;
            if (data.length > 0) {
                attr.dataIn(arena.allocateFrom(ValueLayout.JAVA_BYTE, data));
                dataOut = arena.allocate(data.length + input.outputSlack());
                attr.dataOut(dataOut);
            }
            MemorySegment ctxOut = MemorySegment.NULL;
            if (context.length > 0) {
                attr.ctxIn(arena.allocateFrom(ValueLayout.JAVA_BYTE, context));
                ctxOut = arena.allocate(context.length);
                attr.ctxOut(ctxOut);
            }
            BpfSyscall.call(BpfCommand.PROG_TEST_RUN, attr.segment());
            byte[] dataResult = dataOut.byteSize() == 0 ? new byte[0]
                    : dataOut.asSlice(0, Math.min(dataOut.byteSize(), Integer.toUnsignedLong(attr.dataSizeOut())))
                            .toArray(ValueLayout.JAVA_BYTE);
            byte[] ctxResult = ctxOut.byteSize() == 0 ? new byte[0]
                    : ctxOut.asSlice(0, Math.min(ctxOut.byteSize(), Integer.toUnsignedLong(attr.ctxSizeOut())))
                            .toArray(ValueLayout.JAVA_BYTE);
            return new TestRun.Result(attr.retval(), attr.duration(), dataResult, ctxResult);
        } catch (SyscallException e) {
            throw BpfException.of("test-run " + describe(), e);
        }
    }

    @Override
    public String describe() {
        return "program \"" + name + "\" (" + typeName + ", id " + id() + ")";
    }
}
