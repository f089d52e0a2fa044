package io.bpfstore.kernel.probe;

import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.CodeBuilder;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.Label;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BtfHandle;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import io.bpfstore.kernel.sys.MapCreateAttr;
import io.bpfstore.kernel.sys.ProgLoadAttr;
import io.bpfstore.kernel.sys.Struct;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Probes the running kernel. Every probe loads a two-instruction program or creates a one-element map,
 * classifies the answer and closes what it created at once.
 */
public final class FeatureProbe {
    private static final int BPF_F_NO_PREALLOC = 1;
    private static final int BPF_F_MMAPABLE = 1 << 10;
    private static final int LOG_SIZE = 16 * 1024;
    /** Helpers whose mere loading writes warnings into the kernel log; bpftool skips them too. */
    public static final Set<Integer> NOISY_HELPERS = Set.of(6 /* trace_printk */, 36 /* probe_write_user */,
            177 /* trace_vprintk */);
    private static final String[] HELPER_REFUSALS = {
        "invalid func ", "unknown func ", "program of this type cannot use helper "};

    /**
     * The outcome of one probe, with the evidence.
     *
     * @param support the verdict
     * @param errno   the errno of a refused load or create, 0 if accepted
     * @param log     the verifier log, where one was requested
     */
    public record Verdict(Support support, int errno, String log) {
    }

    private FeatureProbe() {
    }

    /**
     * Runs every probe: program types, map types, and the helpers of every usable program type.
     *
     * @throws BpfException with EPERM if this caller may not use bpf(2) at all (not even a socket filter,
     *                      the one type unprivileged users may load where the kernel allows it): a probe
     *                      would then only say "denied" for everything
     */
    public static KernelFeatures probeAll(String bootId) {
        if (programType(ProgramType.SOCKET_FILTER).support() == Support.DENIED
                && mapType(MapType.ARRAY).support() == Support.DENIED) {
            throw new BpfException("probe kernel features", Errno.EPERM.number(),
                    "this user may not use bpf(2) at all (needs CAP_BPF and CAP_PERFMON/CAP_NET_ADMIN, or root)", "");
        }
        Map<ProgramType, Support> programs = new EnumMap<>(ProgramType.class);
        for (ProgramType type : ProgramType.values()) {
            if (type != ProgramType.UNSPEC) { // 0 names no type; bpftool does not probe it either
                programs.put(type, programType(type).support());
            }
        }
        Map<MapType, Support> maps = new EnumMap<>(MapType.class);
        for (MapType type : MapType.values()) {
            if (type != MapType.UNSPEC) {
                maps.put(type, mapType(type).support());
            }
        }
        Map<ProgramType, SortedSet<Integer>> helpers = new EnumMap<>(ProgramType.class);
        for (ProgramType type : programs.keySet()) {
            if (programs.get(type).usable() && helpersProbeable(type)) {
                SortedSet<Integer> ids = new TreeSet<>();
                for (int id = 1; id <= HelperNames.HIGHEST_KNOWN; id++) {
                    if (!NOISY_HELPERS.contains(id) && helper(type, id).support().usable()) {
                        ids.add(id);
                    }
                }
                helpers.put(type, ids);
            }
        }
        Map<MiscFeature, Boolean> misc = new EnumMap<>(MiscFeature.class);
        for (MiscFeature feature : MiscFeature.values()) {
            misc.put(feature, misc(feature).support().usable());
        }
        return new KernelFeatures(bootId, System.getProperty("os.version", ""), programs, maps, helpers, NOISY_HELPERS,
                misc);
    }

    /** Probes a verifier or instruction-set capability with a socket filter that needs it (after libbpf). */
    public static Verdict misc(MiscFeature feature) {
        CodeBuilder b = new CodeBuilder();
        switch (feature) {
            case LARGE_INSN_LIMIT -> {
                for (int i = 0; i < 4096; i++) {
                    b.mov64(Register.R0, 1);
                }
            }
            case BOUNDED_LOOPS -> {
                Label loop = b.newLabel();
                b.mov64(Register.R0, 10).bind(loop).alu64(AluOp.SUB, Register.R0, 1)
                        .jumpIf(JumpCondition.NE, Register.R0, 0, loop);
            }
            case V2_ISA_EXTENSION, V3_ISA_EXTENSION -> {
                Label skip = b.newLabel();
                b.mov64(Register.R0, 0);
                if (feature == MiscFeature.V2_ISA_EXTENSION) {
                    b.jumpIf(JumpCondition.LT, Register.R0, 0, skip);    // BPF_JLT came with v2
                } else {
                    b.jumpIf32(JumpCondition.LT, Register.R0, 0, skip);  // BPF_JMP32 came with v3
                }
                b.mov64(Register.R0, 1).bind(skip);
            }
        }
        byte[] instructions = b.exit().bytes();
        Attempt attempt = load(ProgramType.SOCKET_FILTER, Setup.of(ProgramType.SOCKET_FILTER), instructions, false);
        Support support = attempt.errno == 0 ? Support.SUPPORTED : Errno.EPERM.is(attempt.errno) ? Support.DENIED : Support.UNSUPPORTED;
        return new Verdict(support, attempt.errno, attempt.log);
    }

    /**
     * Whether helper probes mean anything for this type. Types that can only be loaded against a BTF
     * target (tracing, lsm, ext, struct_ops) fail before the verifier looks at the call.
     */
    static boolean helpersProbeable(ProgramType type) {
        return switch (type) {
            case TRACING, LSM, EXT, STRUCT_OPS -> false;
            default -> true;
        };
    }

    /** Probes one program type with {@code r0 = 0; exit}. */
    public static Verdict programType(ProgramType type) {
        Setup setup = Setup.of(type);
        Attempt attempt = load(type, setup, returning(0), setup.expectedErrno != 0);
        if (attempt.errno == 0) {
            return new Verdict(setup.expectedErrno == 0 ? Support.SUPPORTED : Support.UNSUPPORTED, 0, attempt.log);
        }
        if (Errno.EPERM.is(attempt.errno)) {
            return new Verdict(Support.DENIED, Errno.EPERM.number(), attempt.log);
        }
        boolean expectedRefusal = setup.expectedErrno == attempt.errno
                && (setup.expectedMessage == null || attempt.log.contains(setup.expectedMessage));
        return new Verdict(expectedRefusal ? Support.SUPPORTED : Support.UNSUPPORTED, attempt.errno, attempt.log);
    }

    /** Probes whether {@code type} may call helper {@code id}, with {@code call id; exit}. */
    public static Verdict helper(ProgramType type, int id) {
        Attempt attempt = load(type, Setup.of(type), new CodeBuilder().call(id).exit().bytes(), true);
        if (attempt.errno == 0) {
            return new Verdict(Support.SUPPORTED, 0, attempt.log);
        }
        for (String refusal : HELPER_REFUSALS) {
            if (attempt.log.contains(refusal)) {
                return new Verdict(Support.UNSUPPORTED, attempt.errno, attempt.log);
            }
        }
        if (Errno.EPERM.is(attempt.errno) && attempt.log.isBlank()) {
            return new Verdict(Support.DENIED, Errno.EPERM.number(), attempt.log);
        }
        // The verifier knew the helper and objected to something else (arguments, context): available.
        return new Verdict(Support.SUPPORTED, attempt.errno, attempt.log);
    }

    /** Probes one map type by creating a minimal map of it. */
    public static Verdict mapType(MapType type) {
        try (Arena arena = Arena.ofConfined()) {
            MapCreateAttr attr = new MapCreateAttr(arena).mapType(type.number()).keySize(4).valueSize(4).maxEntries(1);
            int expectedErrno = 0;
            Fd inner = null;
            BtfHandle btf = null;
            try {
                switch (type) {
                    case STACK_TRACE -> attr.valueSize(8);
                    case LPM_TRIE -> attr.keySize(8).valueSize(8).mapFlags(BPF_F_NO_PREALLOC);
                    case CGROUP_STORAGE, PERCPU_CGROUP_STORAGE -> attr.keySize(16).valueSize(8).maxEntries(0);
                    case QUEUE, STACK -> attr.keySize(0);
                    case SK_STORAGE, INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE -> {
                        try {
                            btf = BtfHandle.load(LocalStorageBtf.bytes());
                        } catch (BpfException e) {
                            return new Verdict(Errno.EPERM.is(e.errnoNumber()) ? Support.DENIED : Support.UNSUPPORTED,
                                    e.errnoNumber(), e.verifierLog());
                        }
                        attr.valueSize(8).maxEntries(0).mapFlags(BPF_F_NO_PREALLOC).btfFd(btf.fd().value())
                                .btfKeyTypeId(LocalStorageBtf.KEY_TYPE_ID).btfValueTypeId(LocalStorageBtf.VALUE_TYPE_ID);
                    }
                    case RINGBUF, USER_RINGBUF -> attr.keySize(0).valueSize(0).maxEntries(Libc.pageSize());
                    case STRUCT_OPS -> {
                        attr.btfVmlinuxValueTypeId(1); // not a struct_ops type: the kernel answers ENOTSUPP if it has the map type
                        expectedErrno = Errno.ENOTSUPP.number();
                    }
                    case BLOOM_FILTER -> attr.keySize(0);
                    case ARENA -> attr.keySize(0).valueSize(0).maxEntries(1).mapFlags(BPF_F_MMAPABLE);
                    case ARRAY_OF_MAPS, HASH_OF_MAPS -> {
                        MapCreateAttr template = new MapCreateAttr(arena).mapType(MapType.ARRAY.number())
                                .keySize(4).valueSize(4).maxEntries(1);
                        long fd = BpfSyscall.invoke(BpfCommand.MAP_CREATE, template.segment());
                        if (fd < 0) {
                            return new Verdict(fd == -Errno.EPERM.number() ? Support.DENIED : Support.UNSUPPORTED, (int) -fd, "");
                        }
                        inner = Fd.of(fd);
                        attr.innerMapFd(inner.value());
                    }
                    default -> {
                        // key 4, value 4, one entry fits every other type
                    }
                }
                long result = BpfSyscall.invoke(BpfCommand.MAP_CREATE, attr.segment());
                if (result >= 0) {
                    Fd.of(result).close();
                    return new Verdict(expectedErrno == 0 ? Support.SUPPORTED : Support.UNSUPPORTED, 0, "");
                }
                int errno = (int) -result;
                if (Errno.EPERM.is(errno)) {
                    return new Verdict(Support.DENIED, errno, "");
                }
                return new Verdict(errno == expectedErrno ? Support.SUPPORTED : Support.UNSUPPORTED, errno, "");
            } finally {
                if (inner != null) {
                    inner.close();
                }
                if (btf != null) {
                    btf.close();
                }
            }
        }
    }

    /** Per-type load attributes, after libbpf's probes (libbpf_probes.c). */
    private record Setup(AttachType expectedAttachType, int attachBtfId, int flags, int kernVersion,
                         int expectedErrno, String expectedMessage) {
        static Setup of(ProgramType type) {
            return switch (type) {
                case KPROBE -> new Setup(null, 0, 0, kernelVersionCode(), 0, null);
                case CGROUP_SOCK_ADDR -> new Setup(AttachType.CGROUP_INET4_CONNECT, 0, 0, 0, 0, null);
                case CGROUP_SOCKOPT -> new Setup(AttachType.CGROUP_GETSOCKOPT, 0, 0, 0, 0, null);
                case SK_LOOKUP -> new Setup(AttachType.SK_LOOKUP, 0, 0, 0, 0, null);
                case LIRC_MODE2 -> new Setup(AttachType.LIRC_MODE2, 0, 0, 0, 0, null);
                case NETFILTER -> new Setup(AttachType.NETFILTER, 0, 0, 0, 0, null);
                case SYSCALL -> new Setup(null, 0, ProgLoadAttr.BPF_F_SLEEPABLE, 0, 0, null);
                // BTF id 1 of vmlinux is never a function: a kernel with the type says so in the log.
                case TRACING -> new Setup(AttachType.TRACE_FENTRY, 1, 0, 0, Errno.EINVAL.number(), "attach_btf_id 1 is not a function");
                case LSM -> new Setup(AttachType.LSM_MAC, 1, 0, 0, Errno.EINVAL.number(), "attach_btf_id 1 is not a function");
                case EXT -> new Setup(null, 1, 0, 0, Errno.EINVAL.number(), "Cannot replace kernel functions");
                case STRUCT_OPS -> new Setup(null, 0, 0, 0, Errno.ENOTSUPP.number(), null);
                default -> new Setup(null, 0, 0, 0, 0, null);
            };
        }
    }

    private record Attempt(int errno, String log) {
    }

    private static Attempt load(ProgramType type, Setup setup, byte[] instructions, boolean withLog) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_BYTE, instructions);
            MemorySegment log = withLog ? arena.allocate(LOG_SIZE) : MemorySegment.NULL;
            ProgLoadAttr attr = new ProgLoadAttr(arena).progType(type.number()).insns(insns, instructions.length / 8)
                    .license(arena.allocateFrom("GPL")).log(withLog ? 1 : 0, log).progFlags(setup.flags())
                    .kernVersion(setup.kernVersion()).attachBtfId(setup.attachBtfId());
            if (setup.expectedAttachType() != null) {
                attr.expectedAttachType(setup.expectedAttachType().number());
            }
            long result = BpfSyscall.invoke(BpfCommand.PROG_LOAD, attr.segment());
            String text = withLog ? Struct.cString(log) : "";
            if (result >= 0) {
                Fd.of(result).close();
                return new Attempt(0, text);
            }
            return new Attempt((int) -result, text);
        }
    }

    /** LINUX_VERSION_CODE of the running kernel, from uname's release (e.g. 6.18.44 → 0x0612ff). */
    static int kernelVersionCode() {
        String[] parts = System.getProperty("os.version", "0.0.0").split("[.-]");
        int[] v = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                break;
            }
        }
        return (v[0] << 16) + (v[1] << 8) + Math.min(v[2], 255);
    }

    /** {@code r0 = imm; exit}. */
    private static byte[] returning(int imm) {
        return new CodeBuilder().mov64(Register.R0, imm).exit().bytes();
    }
}
