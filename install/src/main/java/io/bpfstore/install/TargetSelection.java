package io.bpfstore.install;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.install.api.Target;
import io.bpfstore.install.api.TcMode;
import io.bpfstore.install.api.TrafficDirection;
import io.bpfstore.kernel.link.Direction;
import io.bpfstore.kernel.link.Interface;
import io.bpfstore.kernel.link.TcLegacy;
import io.bpfstore.kernel.netlink.InterfaceDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns the install flags and the package's programs into a {@link HookTarget} and the programs to attach there,
 * checking that the interface, namespace and cgroup exist. Every refusal is an {@link InstallException} that
 * names the flag or the missing thing.
 */
public final class TargetSelection {
    private TargetSelection() {
    }

    /**
     * The hook flags as given.
     *
     * @param iface     {@code --iface}
     * @param netns     {@code --netns}
     * @param direction {@code --direction} (tc only)
     * @param cgroup    {@code --cgroup}
     * @param program   {@code --program}
     * @param tcMode    {@code --tc-mode} (tc only; default auto)
     */
    public record Flags(Optional<String> iface, Optional<String> netns, Optional<TrafficDirection> direction,
                        Optional<Path> cgroup, Optional<String> program, Optional<TcMode> tcMode) {
        /** Flags without {@code --tc-mode}. */
        public Flags(Optional<String> iface, Optional<String> netns, Optional<TrafficDirection> direction,
                     Optional<Path> cgroup, Optional<String> program) {
            this(iface, netns, direction, cgroup, program, Optional.empty());
        }

        /** The flags of a request's target and {@code --program}. */
        public static Flags of(Target target, Optional<String> program) {
            return new Flags(target.iface(), target.netns(), target.direction(), target.cgroup().map(Path::of),
                    program, target.tcMode());
        }
    }

    /** The hook {@code flags} name for {@code object}. */
    public static HookTarget target(Flags flags, BpfObject object, String packageName) {
        if (flags.iface().isPresent() && flags.cgroup().isPresent()) {
            throw new InstallException("--iface and --cgroup exclude each other: a package attaches to one hook");
        }
        if (flags.iface().isEmpty() && flags.netns().isPresent()) {
            throw new InstallException("--netns needs --iface: it names the namespace of the interface");
        }
        if (flags.iface().isEmpty() && flags.direction().isPresent()) {
            throw new InstallException("--direction needs --iface: it is the tc direction on an interface");
        }
        Optional<Program> chosen = flags.program().map(name -> object.program(name).orElseThrow(() ->
                new InstallException(packageName + " has no program " + name + " (its programs: " + names(object) + ")")));
        if (flags.iface().isPresent()) {
            String iface = flags.iface().get();
            if (iface.isEmpty() || iface.length() > 15 || iface.contains("/")) {
                throw new InstallException("--iface " + iface + ": not an interface name (1 to 15 characters)");
            }
            boolean xdp;
            if (chosen.isPresent()) {
                xdp = is(chosen.get(), ProgramType.XDP);
            } else if (flags.direction().isPresent()) {
                xdp = false;
            } else {
                xdp = object.programs().stream().anyMatch(p -> is(p, ProgramType.XDP));
            }
            if (xdp && flags.direction().isPresent()) {
                throw new InstallException("--direction applies to tc programs; " + packageName + " attaches XDP "
                        + "(XDP runs on ingress only)");
            }
            if (xdp && flags.tcMode().isPresent()) {
                throw new InstallException("--tc-mode applies to tc programs; " + packageName + " attaches XDP");
            }
            return xdp ? new HookTarget.Xdp(iface, flags.netns()) : new HookTarget.Tc(iface, flags.netns(),
                    flags.direction().map(d -> Direction.valueOf(d.name())).orElse(Direction.INGRESS),
                    legacy(flags.tcMode().orElse(TcMode.AUTO)));
        }
        if (flags.tcMode().isPresent()) {
            throw new InstallException("--tc-mode needs --iface: it chooses how tc programs attach to an interface");
        }
        if (flags.cgroup().isPresent()) {
            return new HookTarget.Cgroup(flags.cgroup().get().toAbsolutePath().normalize());
        }
        boolean tracing = chosen.map(p -> p.type().map(LinkAttacher::isTracing).orElse(false))
                .orElseGet(() -> object.programs().stream().anyMatch(p -> p.type().map(LinkAttacher::isTracing)
                        .orElse(false)));
        if (!tracing) {
            throw new InstallException(packageName + " needs a hook: pass --iface IF (XDP, tc) or --cgroup PATH "
                    + "(its programs: " + names(object) + ")");
        }
        return new HookTarget.Tracing();
    }

    /** Whether {@code mode} means legacy clsact filters on this kernel. */
    static boolean legacy(TcMode mode) {
        return switch (mode) {
            case AUTO -> TcLegacy.needed();
            case TCX -> false;
            case LEGACY -> true;
        };
    }

    /** The programs of {@code object} that attach at {@code target} (one for XDP and tc, all for cgroup and tracing). */
    public static List<Program> programs(HookTarget target, BpfObject object, Optional<String> program,
                                         ResolvedPackage pkg) {
        Predicate<Program> fits = switch (target) {
            case HookTarget.Xdp x -> p -> is(p, ProgramType.XDP);
            case HookTarget.Tc t -> p -> is(p, ProgramType.SCHED_CLS);
            case HookTarget.Cgroup c -> p -> p.type().map(LinkAttacher::isCgroup).orElse(false);
            case HookTarget.Tracing t -> p -> p.type().map(LinkAttacher::isTracing).orElse(false);
        };
        String hook = target.kind();
        if (program.isPresent()) {
            Program p = object.program(program.get()).orElseThrow(() -> new InstallException(pkg.name()
                    + " has no program " + program.get() + " (its programs: " + names(object) + ")"));
            if (!fits.test(p)) {
                throw new InstallException("program " + p.name() + " of " + pkg.name() + " is "
                        + p.type().map(ProgramType::bpftoolName).orElse("of unknown type") + ", not a " + hook
                        + " program");
            }
            return List.of(p);
        }
        List<Program> all = object.programs().stream().filter(fits).toList();
        if (all.isEmpty()) {
            throw new InstallException(pkg.name() + " has no " + hook + " program (its programs: " + names(object) + ")");
        }
        boolean single = target instanceof HookTarget.Xdp || target instanceof HookTarget.Tc;
        if (single && all.size() > 1) {
            List<Program> hinted = all.stream().filter(p -> pkg.hook(p.name()).isPresent()).toList();
            if (hinted.size() == 1) {
                return hinted;
            }
            throw new InstallException(pkg.name() + " has " + all.size() + " " + hook + " programs ("
                    + String.join(", ", all.stream().map(Program::name).toList()) + "): choose one with --program");
        }
        return single ? List.of(all.getFirst()) : all;
    }

    /** Checks that the namespace, interface or cgroup of {@code target} exist. */
    public static void requireExists(HookTarget target) {
        switch (target) {
            case HookTarget.Xdp x -> requireInterface(x.iface(), x.netns());
            case HookTarget.Tc t -> requireInterface(t.iface(), t.netns());
            case HookTarget.Cgroup c -> {
                if (!Files.isDirectory(c.path())) {
                    throw new InstallException("unknown cgroup " + c.path() + ": no such directory");
                }
                if (!Mounts.filesystemOf(c.path()).equals("cgroup2")) {
                    throw new InstallException(c.path() + " is not a cgroup v2 directory (filesystem "
                            + Mounts.filesystemOf(c.path()) + ")");
                }
            }
            case HookTarget.Tracing t -> { }
        }
    }

    /** Whether the interface of an XDP hook (and its namespace) still exists. */
    static boolean exists(HookTarget.Xdp hook) {
        try {
            requireInterface(hook.iface(), hook.netns());
            return true;
        } catch (InstallException e) {
            return false;
        }
    }

    private static void requireInterface(String iface, Optional<String> netns) {
        if (netns.isPresent()) {
            String n = netns.get();
            if (n.isEmpty() || n.contains("/") || n.startsWith(".")) {
                throw new InstallException("--netns " + n + ": not a namespace name");
            }
            if (!Files.exists(Path.of("/run/netns", n))) {
                throw new InstallException("unknown network namespace " + n + " (/run/netns/" + n + " does not exist)");
            }
        }
        boolean found = HookTarget.netnsOf(netns).run(() -> InterfaceDump.read().stream()
                .anyMatch(i -> i.name().equals(iface)));
        if (!found) {
            throw new InstallException("unknown interface " + iface + netns.map(n -> " in network namespace " + n)
                    .orElse(""));
        }
        Interface.named(iface);
    }

    private static boolean is(Program p, ProgramType type) {
        return p.type().filter(t -> t == type).isPresent();
    }

    private static String names(BpfObject object) {
        return String.join(", ", object.programs().stream().map(p -> p.name() + " ("
                + p.type().map(ProgramType::bpftoolName).orElse("?") + ")").toList());
    }
}
