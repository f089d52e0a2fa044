package io.bpfstore.kernel.inventory;

import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.netlink.TcFilterDump;
import io.bpfstore.kernel.netlink.XdpAttachment;
import io.bpfstore.kernel.sys.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs attached to the interfaces of the calling thread's network namespace: XDP and legacy tc
 * filters on clsact (from rtnetlink), tcx (from BPF_PROG_QUERY).
 *
 * @param xdp XDP programs, by interface
 * @param tcx tcx programs, by interface and hook, in run order
 * @param tc  legacy tc BPF filters on clsact ingress/egress
 */
public record NetworkAttachments(List<XdpAttachment> xdp, List<TcxAttachment> tcx, List<TcFilter> tc) {

    /** Copies the lists. */
    public NetworkAttachments {
        xdp = List.copyOf(xdp);
        tcx = List.copyOf(tcx);
        tc = List.copyOf(tc);
    }

    /** Reads the attachments of every interface in this thread's network namespace. */
    public static NetworkAttachments scan() {
        List<XdpAttachment> xdp = new ArrayList<>();
        List<TcxAttachment> tcx = new ArrayList<>();
        List<TcFilter> tc = new ArrayList<>();
        for (InterfaceDump.Interface device : InterfaceDump.read()) {
            xdp.addAll(device.xdp());
            tc.addAll(TcFilterDump.read(device.ifindex(), device.name()));
            for (AttachType hook : List.of(AttachType.TCX_INGRESS, AttachType.TCX_EGRESS)) {
                AttachedPrograms attached;
                try {
                    attached = AttachedPrograms.query(device.ifindex(), hook, false);
                } catch (BpfException e) {
                    if (Errno.isAny(e.errnoNumber(), Errno.EINVAL, Errno.ENODEV)) {
                        break; // a kernel without tcx (before 6.6), or the interface went away
                    }
                    throw e;
                }
                List<Integer> programs = attached.programIds();
                for (int i = 0; i < programs.size(); i++) {
                    int link = i < attached.linkIds().size() ? attached.linkIds().get(i) : 0;
                    tcx.add(new TcxAttachment(device.ifindex(), device.name(), hook, programs.get(i), link));
                }
            }
        }
        return new NetworkAttachments(xdp, tcx, tc);
    }
}
