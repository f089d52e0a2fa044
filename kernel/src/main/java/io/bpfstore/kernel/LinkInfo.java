package io.bpfstore.kernel;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.sys.BpfCommand;
import io.bpfstore.kernel.sys.BpfLinkInfo;
import io.bpfstore.kernel.sys.BpfSyscall;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.InfoAttr;
import io.bpfstore.kernel.sys.Struct;
import io.bpfstore.kernel.sys.SyscallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the kernel reports about a link ({@code struct bpf_link_info}).
 *
 * @param id         the link id
 * @param typeNumber the link type number (see {@link #type()})
 * @param programId  id of the attached program
 * @param target     where it is attached
 */
public record LinkInfo(int id, int typeNumber, int programId, LinkTarget target) {
    private static final int NAME_CAPACITY = 256;

    /** The link type, empty if this build does not know the kernel's number. */
    public Optional<LinkType> type() {
        return LinkType.of(typeNumber);
    }

    /** The type's name as bpftool prints it, or the number. */
    public String typeName() {
        return LinkType.nameOf(typeNumber);
    }

    /** The attach type number, for the link types that report one. */
    public OptionalInt attachType() {
        return switch (target) {
            case LinkTarget.Tracing t -> OptionalInt.of(t.attachType());
            case LinkTarget.Cgroup c -> OptionalInt.of(c.attachType());
            case LinkTarget.Netns n -> OptionalInt.of(n.attachType());
            case LinkTarget.Tcx t -> OptionalInt.of(t.attachType());
            case LinkTarget.Netkit n -> OptionalInt.of(n.attachType());
            case LinkTarget.Sockmap s -> OptionalInt.of(s.attachType());
            case LinkTarget.Xdp x -> OptionalInt.of(AttachType.XDP.number());
            default -> OptionalInt.empty();
        };
    }

    /** Reads the info of the link behind {@code fd}. */
    public static LinkInfo read(Fd fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            BpfLinkInfo info = new BpfLinkInfo(arena);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(fd.value(), info).segment());
            int type = info.type();
            // Links with names need a second call that points the name field at a buffer.
            if (type == LinkType.RAW_TRACEPOINT.number() || type == LinkType.ITER.number()) {
                MemorySegment name = arena.allocate(NAME_CAPACITY);
                info = new BpfLinkInfo(arena);
                if (type == LinkType.RAW_TRACEPOINT.number()) {
                    info.rawTracepointName(name);
                } else {
                    info.iterTargetName(name);
                }
                BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, new InfoAttr(arena).of(fd.value(), info).segment());
                String text = Struct.cString(name);
                LinkTarget target = type == LinkType.RAW_TRACEPOINT.number()
                        ? new LinkTarget.RawTracepoint(text) : new LinkTarget.Iter(text, info.iterMapId());
                return new LinkInfo(info.id(), type, info.progId(), target);
            }
            return new LinkInfo(info.id(), type, info.progId(), target(info));
        } catch (SyscallException e) {
            throw BpfException.of("read info of " + what, e);
        }
    }

    private static LinkTarget target(BpfLinkInfo info) {
        Optional<LinkType> type = LinkType.of(info.type());
        if (type.isEmpty()) {
            return new LinkTarget.Other(info.type());
        }
        return switch (type.get()) {
            case TRACING -> new LinkTarget.Tracing(info.tracingAttachType(), info.tracingTargetObjId(),
                    info.tracingTargetBtfId());
            case CGROUP -> new LinkTarget.Cgroup(info.cgroupId(), info.cgroupAttachType());
            case NETNS -> new LinkTarget.Netns(info.netnsIno(), info.netnsAttachType());
            case XDP -> new LinkTarget.Xdp(info.xdpIfindex());
            case STRUCT_OPS -> new LinkTarget.StructOps(info.structOpsMapId());
            case NETFILTER -> new LinkTarget.Netfilter(info.netfilterPf(), info.netfilterHooknum(),
                    info.netfilterPriority(), info.netfilterFlags());
            case KPROBE_MULTI -> new LinkTarget.KprobeMulti(info.kprobeMultiCount(), info.kprobeMultiFlags());
            case UPROBE_MULTI -> new LinkTarget.UprobeMulti(info.uprobeMultiCount(), info.uprobeMultiFlags(),
                    info.uprobeMultiPid());
            case PERF_EVENT -> new LinkTarget.PerfEvent(info.perfEventType());
            case TCX -> new LinkTarget.Tcx(info.tcxIfindex(), info.tcxAttachType());
            case NETKIT -> new LinkTarget.Netkit(info.netkitIfindex(), info.netkitAttachType());
            case SOCKMAP -> new LinkTarget.Sockmap(info.sockmapMapId(), info.sockmapAttachType());
            case RAW_TRACEPOINT, ITER -> new LinkTarget.Other(info.type()); // handled by the caller
        };
    }
}
