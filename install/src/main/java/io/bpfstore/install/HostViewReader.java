package io.bpfstore.install;

import io.bpfstore.analysis.clash.CheckedPackage;
import io.bpfstore.analysis.clash.Hook;
import io.bpfstore.analysis.clash.HostView;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.AttachType;
import io.bpfstore.bytecode.sections.MapType;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.kernel.AttachedPrograms;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.Cgroup;
import io.bpfstore.kernel.LinkTarget;
import io.bpfstore.kernel.Netns;
import io.bpfstore.kernel.PinnedObject;
import io.bpfstore.kernel.ProgramInfo;
import io.bpfstore.kernel.inventory.CgroupScan;
import io.bpfstore.kernel.inventory.NetworkAttachments;
import io.bpfstore.kernel.inventory.TcxAttachment;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.loader.LoadOptions;
import io.bpfstore.kernel.loader.LoadedObject;
import io.bpfstore.kernel.loader.Loader;
import io.bpfstore.kernel.netlink.InterfaceDump;
import io.bpfstore.kernel.netlink.TcFilter;
import io.bpfstore.kernel.netlink.XdpAttachment;
import io.bpfstore.kernel.probe.KernelFeatures;
import io.bpfstore.kernel.sys.Errno;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Reads the {@link HostView} the clash checks need from the kernel, for {@code bpfstore check} and for install's
 * preflight alike: the analysis module does not depend on the kernel module, so this is where the two meet. What it reads: the programs on the hooks of one interface and how each is
 * attached (an XDP link, or a legacy attach; tcx; legacy tc filters with priority and handle), the programs on the
 * target cgroup and its ancestors (with the hook's attach flags), the namespace's flow dissector and sk_lookup
 * programs, maps already pinned where the packages pin by name, registered congestion controls, and RLIMIT_MEMLOCK and
 * CAP_BPF of this process.
 *
 * @param packages the packages to be checked (only the hooks they use are read)
 * @param netns    the network namespace (name under /run/netns or an nsfs path), empty for this process's
 * @param iface    the interface the network programs go to, empty for none
 * @param cgroup   the cgroup the cgroup programs go to, empty for none
 * @param pinRoot  where maps pinned by name go
 * @param knownLinks pins of links bpfstore holds at the hook: to tell whether a program there is attached by a link,
 *                 these are looked at before every link on the host is read (a host may hold hundreds)
 */
public record HostViewReader(List<CheckedPackage> packages, Optional<String> netns, Optional<String> iface,
                      Optional<Path> cgroup, Path pinRoot, List<Path> knownLinks) {
    /** Copies. */
    public HostViewReader {
        packages = List.copyOf(packages);
        knownLinks = List.copyOf(knownLinks);
    }

    /** A reader that knows no links beforehand. */
    public HostViewReader(List<CheckedPackage> packages, Optional<String> netns, Optional<String> iface,
                          Optional<Path> cgroup, Path pinRoot) {
        this(packages, netns, iface, cgroup, pinRoot, List.of());
    }

    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static final Path CONGESTION_CONTROLS = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    /** CAP_SYS_ADMIN and CAP_BPF bit numbers in /proc/self/status CapEff. */
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_BPF = 39;

    /**
     * The reader for the hook of {@code target} (its interface and namespace, or its cgroup), with maps pinned by
     * name under the default pin root: what install's preflight and the agent's watch read.
     */
    public static HostViewReader at(HookTarget target, List<CheckedPackage> packages) {
        HookTarget.Place place = target.place();
        Optional<String> iface = place.iface();
        Optional<String> netns = place.netns();
        Optional<Path> cgroup = place.cgroup();
        return new HostViewReader(packages, netns, iface, cgroup, LoadOptions.DEFAULT_PIN_ROOT);
    }

    /** This reader, looking at the links pinned at {@code pins} first (bpfstore's own at the hook). */
    public HostViewReader withKnownLinks(List<Path> pins) {
        return new HostViewReader(packages, netns, iface, cgroup, pinRoot, pins);
    }

    /** The host view: {@code kernel} from the probes, the rest read now. */
    public HostView read(KernelFeatures kernel, OptionalLong budget) throws IOException {
        KernelObjects inventory = new KernelObjects(knownLinks);
        // one entry into the namespace for its hooks and the interface's (each entry is a thread of its own)
        InNamespace seen = inNamespace(() -> new InNamespace(netnsHooks(inventory),
                iface.isPresent() ? occupants(inventory) : List.of()));
        HostView view = HostView.none().withKernel(support(kernel, kfuncLookup()))
                .withPins(pins(inventory))
                .withNetnsHooks(seen.hooks())
                .withStructOps(Map.of("tcp_congestion_ops", congestionControls()))
                .withResources(resources(kernel.kernelRelease(), budget));
        if (iface.isPresent()) {
            view = view.withInterface(iface.get(), netns.orElse(""), seen.occupants());
        }
        if (cgroup.isPresent()) {
            view = view.withCgroup(cgroup.get().toString(), cgroupOccupants(inventory));
        }
        return view;
    }

    /** What is read inside the network namespace: its own hooks, and the interface's. */
    private record InNamespace(List<HostView.NetnsOccupant> hooks, List<HostView.HookOccupant> occupants) {
    }

    private <T> T inNamespace(Callable<T> task) {
        try {
            return netns.isEmpty() ? task.call() : Netns.at(namespaceFile(netns.get())).run(task);
        } catch (InstallException | BpfException e) {
            throw e;
        } catch (Exception e) {
            throw new InstallException("read the hooks" + netns.map(n -> " of netns " + n).orElse("") + ": "
                    + e.getMessage(), e);
        }
    }

    /** The namespace file of a name under /run/netns or a path such as /proc/PID/ns/net. */
    static Path namespaceFile(String ns) {
        Path file = Netns.file(ns);
        if (!Files.exists(file)) {
            throw new InstallException("no network namespace " + ns + " (" + file + " does not exist)");
        }
        return file;
    }

    /** The programs on the interface's XDP and tc hooks, with how each is attached. */
    private List<HostView.HookOccupant> occupants(KernelObjects inventory) {
        NetworkAttachments attachments = NetworkAttachments.scan();
        String name = iface.orElseThrow();
        List<HostView.HookOccupant> out = new ArrayList<>();
        for (XdpAttachment a : attachments.xdp()) {
            if (a.device().equals(name)) {
                boolean link = inventory.anyLink(l -> l.target() instanceof LinkTarget.Xdp x
                        && x.ifindex() == a.ifindex() && l.programId() == a.programId());
                out.add(new HostView.HookOccupant(Hook.XDP, a.programId(), programName(inventory, a.programId()),
                        link ? HostView.AttachMode.LINK : HostView.AttachMode.LEGACY, 0, 0));
            }
        }
        for (TcxAttachment a : attachments.tcx()) {
            if (a.device().equals(name)) {
                Hook hook = a.attachType() == AttachType.TCX_EGRESS ? Hook.TC_EGRESS : Hook.TC_INGRESS;
                out.add(new HostView.HookOccupant(hook, a.programId(), programName(inventory, a.programId()),
                        HostView.AttachMode.LINK, 0, 0));
            }
        }
        for (TcFilter f : attachments.tc()) {
            if (f.device().equals(name)) {
                Hook hook = f.direction() == Direction.EGRESS ? Hook.TC_EGRESS : Hook.TC_INGRESS;
                out.add(new HostView.HookOccupant(hook, f.programId(), programName(inventory, f.programId()),
                        HostView.AttachMode.TC_FILTER, f.priority(), f.handle()));
            }
        }
        if (out.isEmpty() && InterfaceDump.read().stream().noneMatch(i -> i.name().equals(name))) {
            throw new InstallException("no interface " + name + netns.map(n -> " in netns " + n).orElse("")
                    + (netns.isEmpty() ? TargetSelection.namespacesWith(name) : ""));
        }
        return out;
    }

    /** The programs on the flow dissector and sk_lookup hooks of the namespace this thread is in. */
    private static List<HostView.NetnsOccupant> netnsHooks(KernelObjects inventory) throws IOException {
        List<HostView.NetnsOccupant> out = new ArrayList<>();
        Path self = Path.of("/proc/thread-self/ns/net");
        long inode = ((Number) Files.getAttribute(self, "unix:ino")).longValue();
        int raw = Libc.open(self.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (raw < 0) {
            throw new IOException("open " + self + ": errno " + -raw);
        }
        try (Fd fd = new Fd(raw)) {
            for (AttachType hook : List.of(AttachType.FLOW_DISSECTOR, AttachType.SK_LOOKUP)) {
                AttachedPrograms attached;
                try {
                    attached = AttachedPrograms.query(fd.value(), hook, false);
                } catch (BpfException e) {
                    if (Errno.EINVAL.is(e.errnoNumber())) {
                        continue; // a kernel without this hook
                    }
                    throw e;
                }
                for (int id : attached.programIds()) {
                    boolean link = inventory.anyLink(l -> l.programId() == id
                            && l.target() instanceof LinkTarget.Netns n && n.attachType() == hook.number()
                            && Integer.toUnsignedLong(n.netnsInode()) == inode);
                    out.add(new HostView.NetnsOccupant(hook, id, programName(inventory, id), link));
                }
            }
        }
        return out;
    }

    /** The programs on the target cgroup and its ancestors, for the cgroup hooks the packages use. */
    private List<HostView.CgroupOccupant> cgroupOccupants(KernelObjects inventory) {
        Path target = cgroup.orElseThrow().toAbsolutePath().normalize();
        Path root = CgroupScan.cgroup2Root().orElseThrow(() -> new InstallException("no cgroup v2 hierarchy is mounted"));
        if (!target.startsWith(root) || !Files.isDirectory(target)) {
            throw new InstallException("--cgroup " + target + " is not a cgroup v2 directory under " + root);
        }
        Set<AttachType> hooks = new LinkedHashSet<>();
        for (CheckedPackage pkg : packages) {
            for (Program p : pkg.object().programs()) {
                p.attachType().filter(a -> a.name().startsWith("CGROUP_")).ifPresent(hooks::add);
            }
        }
        List<HostView.CgroupOccupant> out = new ArrayList<>();
        for (Path dir = target; dir != null && dir.startsWith(root); dir = dir.getParent()) {
            try (Cgroup cg = Cgroup.open(dir)) {
                for (AttachType hook : hooks) {
                    AttachedPrograms attached = AttachedPrograms.query(cg.fd().value(), hook, false);
                    for (int id : attached.programIds()) {
                        out.add(new HostView.CgroupOccupant(dir.toString(), !dir.equals(target), hook, id,
                                programName(inventory, id), attached.attachFlags()));
                    }
                }
            }
        }
        return out;
    }

    /** The maps already pinned where the packages' pinned-by-name maps would go. */
    private Map<String, HostView.PinnedMap> pins(KernelObjects inventory) {
        Map<String, HostView.PinnedMap> pins = new HashMap<>();
        for (CheckedPackage pkg : packages) {
            for (MapDefinition m : pkg.object().maps()) {
                if (m.pinning() != MapDefinition.PIN_BY_NAME || pins.containsKey(m.name())) {
                    continue;
                }
                Path path = pinRoot.resolve(m.name());
                Optional<PinnedObject> pin = PinnedObject.read(path).filter(p -> p.kind() == PinnedObject.Kind.MAP);
                pin.flatMap(p -> inventory.map(p.id())).ifPresent(i -> pins.put(m.name(), new HostView.PinnedMap(
                        path.toString(), i.id(), i.name(), i.typeNumber(), i.keySize(), i.valueSize(),
                        i.maxEntries(), i.flags())));
            }
        }
        return pins;
    }

    /** The TCP congestion controls the kernel has registered (empty when the file is missing). */
    private static Set<String> congestionControls() throws IOException {
        if (!Files.isReadable(CONGESTION_CONTROLS)) {
            return Set.of();
        }
        return Set.of(Files.readString(CONGESTION_CONTROLS).strip().split("\\s+"));
    }

    /** Memory limits and privilege of this process. */
    static HostView.Resources resources(String release, OptionalLong budget) throws IOException {
        OptionalLong memlock = OptionalLong.empty();
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max locked memory")) {
                String soft = line.substring("Max locked memory".length()).strip().split("\\s+")[0];
                memlock = soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
            }
        }
        boolean privileged = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                privileged = (caps & (1L << CAP_BPF)) != 0 || (caps & (1L << CAP_SYS_ADMIN)) != 0;
            }
        }
        return new HostView.Resources(budget, memlock, chargesMemlock(release), possibleCpus(),
                Optional.of(privileged));
    }

    /** Whether a kernel of this release charges map memory to RLIMIT_MEMLOCK (before 5.11). */
    static boolean chargesMemlock(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
        return major < 5 || major == 5 && minor < 11;
    }

    /** Possible CPUs, from /sys/devices/system/cpu/possible ("0-3,8-11"). */
    private static int possibleCpus() throws IOException {
        Path possible = Path.of("/sys/devices/system/cpu/possible");
        if (!Files.isReadable(possible)) {
            return Runtime.getRuntime().availableProcessors();
        }
        int cpus = 0;
        for (String part : Files.readString(possible).strip().split(",")) {
            String[] ends = part.split("-");
            cpus += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return Math.max(1, cpus);
    }

    private static String programName(KernelObjects inventory, int id) {
        return inventory.program(id).map(ProgramInfo::name).filter(n -> !n.isEmpty()).orElse("?");
    }

    /**
     * The kernel's functions by name, from its BTF (parsed on the first question: most packages call no kfunc);
     * without BTF every kfunc is reported missing.
     */
    private static Predicate<String> kfuncLookup() {
        if (!Files.isReadable(VMLINUX)) {
            return name -> false;
        }
        java.util.concurrent.atomic.AtomicReference<Btf> parsed = new java.util.concurrent.atomic.AtomicReference<>();
        return name -> {
            Btf btf = parsed.get();
            if (btf == null) {
                try {
                    btf = Btf.parse(Files.readAllBytes(VMLINUX));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("read " + VMLINUX + ": " + e.getMessage(), e);
                }
                parsed.set(btf);
            }
            return btf.find(name, BtfType.Func.class).isPresent();
        };
    }

    /**
     * Loads every package into the kernel (maps created, nothing pinned or attached, all closed again) and reads how
     * many instructions the verifier processed for each program it accepted. Programs it refuses are left out: the
     * load check reports those.
     */
    public static List<HostView.Verified> trialLoad(List<CheckedPackage> packages) {
        List<HostView.Verified> out = new ArrayList<>();
        LoadOptions options = LoadOptions.defaults().keepingGoing().withoutPinning();
        for (CheckedPackage pkg : packages) {
            try (LoadedObject loaded = Loader.load(pkg.object(), options)) {
                loaded.programs().forEach((name, program) -> out.add(new HostView.Verified(pkg.name(), name,
                        program.info().verifiedInstructions())));
            } catch (RuntimeException e) {
                // The whole object failed (a map the kernel refused, say): nothing to count for it.
                continue;
            }
        }
        return out;
    }

    /** The probe result as the analysis module's view of it. */
    static HostView.KernelSupport support(KernelFeatures f, Predicate<String> kfuncs) {
        Set<ProgramType> programs = EnumSet.noneOf(ProgramType.class);
        f.programTypes().forEach((t, s) -> {
            if (s.usable()) {
                programs.add(t);
            }
        });
        Set<MapType> maps = EnumSet.noneOf(MapType.class);
        f.mapTypes().forEach((t, s) -> {
            if (s.usable()) {
                maps.add(t);
            }
        });
        Map<ProgramType, Set<Integer>> helpers = new EnumMap<>(ProgramType.class);
        f.helpers().forEach((t, ids) -> helpers.put(t, Set.copyOf(ids)));
        return new HostView.KernelSupport(programs, maps, helpers, f.skippedHelpers(), kfuncs, f.kernelRelease());
    }
}
