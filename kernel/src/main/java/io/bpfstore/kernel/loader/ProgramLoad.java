package io.bpfstore.kernel.loader;

import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.ProgLoadAttr;
import io.bpfstore.kernel.sys.Struct;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One BPF_PROG_LOAD of a linked program with its BTF, func_info and line_info. Like libbpf it first asks for no
 * log; when the kernel refuses, it loads again with log level 1 (growing the buffer to the size the kernel says
 * it needed), and with level 2 if the level-1 log names no instruction, so that the refusal can point at a line.
 *
 * @param name               program name (cut to 15 bytes)
 * @param typeNumber         {@code BPF_PROG_TYPE_*}
 * @param typeName           the type's kernel name, for messages
 * @param expectedAttachType {@code BPF_*} attach type, or -1 for none
 * @param flags              prog_flags
 * @param license            licence string
 * @param kernelVersion      kern_version
 * @param btfFd              the object's BTF fd, or -1
 * @param attachBtfId        the kernel BTF id of the attach target (fentry, lsm, tp_btf, iter), or 0
 */
record ProgramLoad(String name, int typeNumber, String typeName, int expectedAttachType, int flags, String license,
                   int kernelVersion, int btfFd, int attachBtfId) {
    private static final int FIRST_LOG = 1 << 20;
    private static final int MAX_LOG = 1 << 28;
    private static final int FUNC_INFO_SIZE = 8;
    private static final int LINE_INFO_SIZE = 16;

    /**
     * Loads {@code linked}.
     *
     * @throws ProgramRejectedException when the kernel refuses it
     */
    BpfProgram load(ProgramLinker.Linked linked) {
        int level = 0;
        int logSize = 0;
        String firstLog = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_BYTE, linked.instructions());
            MemorySegment lic = arena.allocateFrom(license);
            MemorySegment funcs = linked.funcInfo().length == 0 ? MemorySegment.NULL
                    : arena.allocateFrom(ValueLayout.JAVA_INT, linked.funcInfo());
            MemorySegment lines = linked.lineInfo().length == 0 ? MemorySegment.NULL
                    : arena.allocateFrom(ValueLayout.JAVA_INT, linked.lineInfo());
            while (true) {
                try (Arena attempt = Arena.ofConfined()) {
                    MemorySegment log = logSize > 0 ? attempt.allocate(logSize) : MemorySegment.NULL;
                    ProgLoadAttr attr = new ProgLoadAttr(attempt).progType(typeNumber)
                            .insns(insns, linked.slots()).license(lic).log(level, log).kernVersion(kernelVersion)
                            .progFlags(flags).progName(truncate(name));
                    if (expectedAttachType >= 0) {
                        attr.expectedAttachType(expectedAttachType);
                    }
                    if (attachBtfId != 0) {
                        attr.attachBtfId(attachBtfId);
                    }
                    if (btfFd >= 0) {
                        attr.progBtfFd(btfFd);
                        if (funcs != MemorySegment.NULL) {
                            attr.funcInfo(funcs, FUNC_INFO_SIZE, linked.funcInfo().length / 2);
                        }
                        if (lines != MemorySegment.NULL) {
                            attr.lineInfo(lines, LINE_INFO_SIZE, linked.lineInfo().length / 4);
                        }
                    }
                    long fd = BpfSyscall.invoke(BpfCommand.PROG_LOAD, attr.segment());
                    if (fd >= 0) {
                        return Adopt.program(fd);
                    }
                    int errno = (int) -fd;
                    String text = logSize > 0 ? Struct.cString(log) : "";
                    if (Errno.ENOSPC.is(errno) && logSize > 0 && logSize < MAX_LOG) {
                        logSize = (int) Math.min(MAX_LOG, Math.max(logSize * 4L, Integer.toUnsignedLong(attr.logTrueSize()) + 1));
                        continue;
                    }
                    if (level == 0) {
                        level = 1;
                        logSize = FIRST_LOG;
                        continue;
                    }
                    if (level == 1 && VerifierLog.parse(text).lastInstruction().isEmpty() && !text.isBlank()) {
                        firstLog = text; // the level-1 log named no instruction; a verbose one will
                        level = 2;
                        logSize = FIRST_LOG * 16;
                        continue;
                    }
                    if (level == 2 && firstLog != null && VerifierLog.parse(text).lastInstruction().isEmpty()) {
                        text = firstLog;
                    }
                    throw new ProgramRejectedException(name, typeName, errno, text, linked.lines(), linked.poisoned());
                }
            }
        }
    }

    static String truncate(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 15 ? name : new String(bytes, 0, 15, StandardCharsets.UTF_8);
    }
}
