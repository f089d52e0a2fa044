package io.bpfstore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.kernel.BtfInfo;
import io.bpfstore.kernel.LinkInfo;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.MapInfo;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.inventory.CgroupAttachment;
import io.bpfstore.kernel.PinnedObject;
import io.bpfstore.kernel.inventory.CgroupScan;
import io.bpfstore.kernel.inventory.PinScan;
import io.bpfstore.kernel.inventory.HostInventory;
import io.bpfstore.kernel.inventory.NetworkAttachments;
import io.bpfstore.kernel.inventory.TcxAttachment;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.netlink.XdpAttachment;
import io.bpfstore.kernel.inventory.InterfaceNames;
import io.bpfstore.store.image.ControlCharacters;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bpfstore ps}: every eBPF program, map, link and BTF object on this host, whoever loaded it. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "Show every eBPF program, map, link and BTF object on this host (needs root).")
public final class PsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = Json.mapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = output.out();
        HostInventory inventory = HostInventory.scan();
        List<CgroupAttachment> cgroups = CgroupScan.scan();
        NetworkAttachments network = NetworkAttachments.scan();
        List<PinnedObject> pins = PinScan.scan();
        if (output.json()) {
            ObjectNode json = toJson(inventory);
            attachmentsJson(json.putObject("attachments"), cgroups, network);
            ArrayNode pinArray = json.putArray("pins");
            for (PinnedObject p : pins) {
                pinArray.addObject().put("path", p.path().toString())
                        .put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT)).put("id", p.id());
            }
            out.println(JSON.writeValueAsString(json));
        } else {
            printText(out, inventory);
            printAttachments(out, cgroups, network);
            out.println();
            out.println("Pins (every bpffs mount) (" + pins.size() + ")");
            Table table = new Table("  PATH", "KIND", "ID");
            pins.forEach(p -> table.row("  " + p.path(), p.kind().name().toLowerCase(java.util.Locale.ROOT),
                    Integer.toString(p.id())));
            table.print(out);
        }
        out.flush();
        return 0;
    }

    /** The inventory as JSON with top-level {@code programs}, {@code maps}, {@code links} and {@code btf}. */
    static ObjectNode toJson(HostInventory inventory) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode programs = root.putArray("programs");
        for (ProgramInfo p : inventory.programs()) {
            ObjectNode n = programs.addObject();
            n.put("id", p.id()).put("type", p.typeName()).put("name", p.name()).put("tag", p.tag())
                    .put("loaded_at", p.loadedAt().toString()).put("uid", p.createdByUid())
                    .put("run_cnt", p.runCount()).put("run_time_ns", p.runTimeNanos())
                    .put("bytes_xlated", p.bytesXlated()).put("bytes_jited", p.bytesJited())
                    .put("gpl_compatible", p.gplCompatible()).put("btf_id", p.btfId());
            ArrayNode maps = n.putArray("map_ids");
            p.mapIds().forEach(maps::add);
        }
        ArrayNode maps = root.putArray("maps");
        for (MapInfo m : inventory.maps()) {
            maps.addObject().put("id", m.id()).put("type", m.typeName()).put("name", m.name())
                    .put("key_size", m.keySize()).put("value_size", m.valueSize()).put("max_entries", m.maxEntries())
                    .put("flags", m.flags()).put("btf_id", m.btfId());
        }
        ArrayNode links = root.putArray("links");
        for (LinkInfo l : inventory.links()) {
            ObjectNode n = links.addObject().put("id", l.id()).put("type", l.typeName()).put("prog_id", l.programId());
            l.attachType().ifPresent(t -> n.put("attach_type", AttachType.nameOf(t)));
            linkTarget(n, l.target());
        }
        ArrayNode btf = root.putArray("btf");
        for (BtfInfo b : inventory.btf()) {
            btf.addObject().put("id", b.id()).put("name", b.name()).put("size", b.size()).put("kernel", b.kernelBtf());
        }
        return root;
    }

    /** Attachments: cgroup hooks of the whole tree; XDP, tc (clsact) and tcx of this network namespace's interfaces. */
    static void attachmentsJson(ObjectNode n, List<CgroupAttachment> cgroups, NetworkAttachments network) {
        ArrayNode cg = n.putArray("cgroup");
        for (CgroupAttachment a : cgroups) {
            cg.addObject().put("cgroup", a.cgroup().toString()).put("cgroup_id", a.cgroupId())
                    .put("attach_type", a.attachType().libbpfName()).put("prog_id", a.programId())
                    .put("attach_flags", a.attachFlags());
        }
        ArrayNode xdp = n.putArray("xdp");
        for (XdpAttachment a : network.xdp()) {
            xdp.addObject().put("devname", a.device()).put("ifindex", a.ifindex())
                    .put("mode", a.mode().name().toLowerCase(java.util.Locale.ROOT)).put("prog_id", a.programId());
        }
        ArrayNode tc = n.putArray("tc");
        for (TcFilter f : network.tc()) {
            tc.addObject().put("devname", f.device()).put("ifindex", f.ifindex())
                    .put("kind", "clsact/" + f.direction().name().toLowerCase(java.util.Locale.ROOT))
                    .put("name", f.name()).put("prog_id", f.programId()).put("priority", f.priority())
                    .put("direct_action", f.directAction());
        }
        ArrayNode tcx = n.putArray("tcx");
        for (TcxAttachment a : network.tcx()) {
            tcx.addObject().put("devname", a.device()).put("ifindex", a.ifindex())
                    .put("attach_type", a.attachType().libbpfName()).put("prog_id", a.programId()).put("link_id", a.linkId());
        }
    }

    private static void printAttachments(PrintWriter out, List<CgroupAttachment> cgroups, NetworkAttachments network) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("HOOK", "TARGET", "PROG", "DETAIL"));
        for (CgroupAttachment a : cgroups) {
            rows.add(List.of(a.attachType().libbpfName(), a.cgroup().toString(), str(a.programId()),
                    "flags 0x" + Integer.toHexString(a.attachFlags())));
        }
        for (XdpAttachment a : network.xdp()) {
            rows.add(List.of("xdp", device(a.device(), a.ifindex()), str(a.programId()),
                    a.mode().name().toLowerCase(java.util.Locale.ROOT)));
        }
        for (TcFilter f : network.tc()) {
            rows.add(List.of("tc " + f.direction().name().toLowerCase(java.util.Locale.ROOT), device(f.device(), f.ifindex()),
                    str(f.programId()), f.name() + " prio " + f.priority() + (f.directAction() ? " direct-action" : "")));
        }
        for (TcxAttachment a : network.tcx()) {
            rows.add(List.of(a.attachType().libbpfName(), device(a.device(), a.ifindex()), str(a.programId()),
                    a.linkId() != 0 ? "link " + a.linkId() : "no link"));
        }
        section(out, "Attachments (cgroup tree; XDP, tc clsact and tcx in this network namespace)", rows);
    }

    private static String device(String name, int ifindex) {
        return name + " (ifindex " + ifindex + ")";
    }

    private static void linkTarget(ObjectNode n, LinkTarget target) {
        switch (target) {
            case LinkTarget.RawTracepoint t -> n.put("tracepoint", t.tracepoint());
            case LinkTarget.Tracing t -> n.put("target_obj_id", t.targetObjId()).put("target_btf_id", t.targetBtfId());
            case LinkTarget.Cgroup c -> n.put("cgroup_id", c.cgroupId());
            case LinkTarget.Iter i -> n.put("target_name", i.targetName()).put("map_id", i.mapId());
            case LinkTarget.Netns ns -> n.put("netns_ino", Integer.toUnsignedLong(ns.netnsInode()));
            case LinkTarget.Xdp x -> putInterface(n, x.ifindex());
            case LinkTarget.StructOps s -> n.put("map_id", s.mapId());
            case LinkTarget.Netfilter f -> n.put("pf", f.protocolFamily()).put("hook", f.hook())
                    .put("priority", f.priority()).put("flags", f.flags());
            case LinkTarget.KprobeMulti k -> n.put("func_cnt", k.count()).put("flags", k.flags());
            case LinkTarget.UprobeMulti u -> n.put("count", u.count()).put("flags", u.flags()).put("pid", u.pid());
            case LinkTarget.PerfEvent p -> n.put("perf_event_type", p.perfEventType());
            case LinkTarget.Tcx t -> putInterface(n, t.ifindex());
            case LinkTarget.Netkit k -> putInterface(n, k.ifindex());
            case LinkTarget.Sockmap s -> n.put("map_id", s.mapId());
            case LinkTarget.Other o -> { }
        }
    }

    private static void putInterface(ObjectNode n, int ifindex) {
        n.put("ifindex", ifindex);
        InterfaceNames.of(ifindex).ifPresent(name -> n.put("devname", name));
    }

    private static String target(LinkInfo l) {
        return switch (l.target()) {
            case LinkTarget.RawTracepoint t -> "tracepoint " + t.tracepoint();
            case LinkTarget.Tracing t -> "btf obj " + t.targetObjId() + " type " + t.targetBtfId();
            case LinkTarget.Cgroup c -> "cgroup " + c.cgroupId();
            case LinkTarget.Iter i -> "iter " + i.targetName() + (i.mapId() != 0 ? " map " + i.mapId() : "");
            case LinkTarget.Netns ns -> "netns " + Integer.toUnsignedLong(ns.netnsInode());
            case LinkTarget.Xdp x -> device(x.ifindex());
            case LinkTarget.StructOps s -> "map " + s.mapId();
            case LinkTarget.Netfilter f -> "pf " + f.protocolFamily() + " hook " + f.hook() + " prio " + f.priority();
            case LinkTarget.KprobeMulti k -> k.count() + " functions";
            case LinkTarget.UprobeMulti u -> u.count() + " probes" + (u.pid() != 0 ? " pid " + u.pid() : "");
            case LinkTarget.PerfEvent p -> "perf event type " + p.perfEventType();
            case LinkTarget.Tcx t -> device(t.ifindex());
            case LinkTarget.Netkit k -> device(k.ifindex());
            case LinkTarget.Sockmap s -> "map " + s.mapId();
            case LinkTarget.Other o -> "";
        };
    }

    private static String device(int ifindex) {
        return InterfaceNames.of(ifindex).map(name -> name + " (ifindex " + ifindex + ")").orElse("ifindex " + ifindex);
    }

    private static void printText(PrintWriter out, HostInventory inventory) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "TYPE", "NAME", "TAG", "LOADED", "UID", "MAPS", "RUNS", "RUN_NS", "XLATED", "JITED"));
        for (ProgramInfo p : inventory.programs()) {
            rows.add(List.of(str(p.id()), p.typeName(), p.name(), p.tag(), TIME.format(p.loadedAt()), str(p.createdByUid()),
                    p.mapIds().stream().map(String::valueOf).collect(Collectors.joining(",")), str(p.runCount()),
                    str(p.runTimeNanos()), str(p.bytesXlated()), str(p.bytesJited())));
        }
        section(out, "Programs", rows);
        rows = new ArrayList<>();
        rows.add(List.of("ID", "TYPE", "NAME", "KEY", "VALUE", "MAX_ENTRIES", "FLAGS"));
        for (MapInfo m : inventory.maps()) {
            rows.add(List.of(str(m.id()), m.typeName(), m.name(), str(m.keySize()), str(m.valueSize()),
                    str(m.maxEntries()), "0x" + Integer.toHexString(m.flags())));
        }
        section(out, "Maps", rows);
        rows = new ArrayList<>();
        rows.add(List.of("ID", "TYPE", "PROG", "ATTACH_TYPE", "TARGET"));
        for (LinkInfo l : inventory.links()) {
            rows.add(List.of(str(l.id()), l.typeName(), str(l.programId()),
                    l.attachType().stream().mapToObj(AttachType::nameOf).findFirst().orElse("-"), target(l)));
        }
        section(out, "Links", rows);
        rows = new ArrayList<>();
        rows.add(List.of("ID", "NAME", "SIZE", "KERNEL"));
        for (BtfInfo b : inventory.btf()) {
            rows.add(List.of(str(b.id()), b.name().isEmpty() ? "-" : b.name(), str(b.size()), b.kernelBtf() ? "yes" : "no"));
        }
        section(out, "BTF", rows);
    }

    private static String str(long value) {
        return Long.toString(value);
    }

    /** Prints a titled table with columns padded to their widest cell. */
    static void section(PrintWriter out, String title, List<List<String>> rows) {
        out.println(title + " (" + (rows.size() - 1) + ")");
        int[] widths = new int[rows.getFirst().size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], ControlCharacters.escape(row.get(i)).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                String cell = ControlCharacters.escape(row.get(i));  // program and map names come from objects
                line.append(i == row.size() - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
    }
}
