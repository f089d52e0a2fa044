package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.object.Program;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the packages cost the host: the map memory they take together (against the user's budget, and against
 * RLIMIT_MEMLOCK on kernels before 5.11, which charge map memory there rather than to the memory cgroup), single
 * maps too big to be meant, and programs at or near the kernel's size limits (BPF_MAXINSNS, 4,096 instructions, for
 * a loader without CAP_BPF; BPF_COMPLEXITY_LIMIT_INSNS, 1,000,000, for everyone).
 */
final class ResourceCheck {
    /** One map this large is more often a typo in max_entries than a plan. */
    static final long OVERSIZE_MAP = 1L << 30;
    /** BPF_MAXINSNS: the most instructions a loader without CAP_BPF may load. */
    static final int UNPRIVILEGED_INSNS = 4096;
    /** BPF_COMPLEXITY_LIMIT_INSNS: the most instructions any program may have (and the verifier may process). */
    static final int COMPLEXITY_LIMIT = 1_000_000;
    /** A program this share of a limit or more is near it: a rebuild with another compiler may cross it. */
    private static final double NEAR = 0.75;

    private ResourceCheck() {
    }

    /** Memory and size findings for the packages on a host with {@code resources}. */
    static List<Finding> check(List<CheckedPackage> packages, HostView.Resources resources,
                               List<HostView.Verified> verified) {
        List<Finding> out = new ArrayList<>();
        long total = 0;
        Set<String> sharedPins = new HashSet<>();
        List<Subject> heaviest = new ArrayList<>();
        for (CheckedPackage pkg : packages) {
            long ofPackage = 0;
            for (MapDefinition m : pkg.object().maps()) {
                if (m.pinning() == MapDefinition.PIN_BY_NAME && !sharedPins.add(m.name())) {
                    continue; // a map pinned by name is shared with the package that pinned it first
                }
                MapMemory.Estimate e = MapMemory.of(m, resources.possibleCpus());
                ofPackage = plus(ofPackage, e.atMost());
                if (e.atMost() >= OVERSIZE_MAP) {
                    out.add(new Finding(FindingClass.RESOURCES, Severity.WARNING,
                            List.of(new Subject.PackageRef(pkg.name()), new Subject.MapRef(pkg.name(), m.name())),
                            "map " + m.name() + " of " + pkg.name() + " takes " + bytes(e.atMost()) + " when full ("
                                    + m.maxEntries() + " entries of " + m.keySize() + " B keys and " + m.valueSize()
                                    + " B values); a host without that much free kernel memory refuses to create it "
                                    + "(ENOMEM)",
                            "check max_entries of " + m.name() + "; lower it if it is not meant to be this large"));
                }
            }
            total = plus(total, ofPackage);
            if (ofPackage > 0) {
                heaviest.add(new Subject.PackageRef(pkg.name()));
            }
        }
        String names = String.join(", ", packages.stream().map(CheckedPackage::name).toList());
        if (resources.budget().isPresent() && total > resources.budget().getAsLong()) {
            out.add(new Finding(FindingClass.RESOURCES, Severity.ERROR, heaviest,
                    "the maps of " + names + " take " + bytes(total) + " together when full, over the budget of "
                            + bytes(resources.budget().getAsLong()),
                    "raise the budget (--budget), or install fewer packages or versions with smaller maps"));
        }
        if (resources.memlockCharged() && resources.memlockLimit().isPresent()
                && total > resources.memlockLimit().getAsLong()) {
            out.add(new Finding(FindingClass.RESOURCES, Severity.ERROR, heaviest,
                    "the maps of " + names + " take " + bytes(total) + " together when full; this kernel charges map "
                            + "memory to RLIMIT_MEMLOCK, which is " + bytes(resources.memlockLimit().getAsLong())
                            + ", so creating them fails (EPERM)",
                    "raise the memlock limit (ulimit -l, or LimitMEMLOCK= in the service unit)"));
        }
        for (CheckedPackage pkg : packages) {
            for (Program p : pkg.object().programs()) {
                Optional<Long> processed = verified.stream().filter(v -> v.pkg().equals(pkg.name())
                        && v.program().equals(p.name())).map(HostView.Verified::processed).findFirst();
                complexity(pkg, p, resources, processed).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<Finding> complexity(CheckedPackage pkg, Program p, HostView.Resources resources,
                                                Optional<Long> processed) {
        int insns = p.totalSlots();
        List<Subject> subjects = List.of(new Subject.PackageRef(pkg.name()), new Subject.ProgramRef(pkg.name(),
                p.name()));
        String what = "program " + p.name() + " of " + pkg.name() + " has " + insns + " instructions";
        if (insns > COMPLEXITY_LIMIT) {
            return Optional.of(new Finding(FindingClass.RESOURCES, Severity.ERROR, subjects,
                    what + ", over the kernel's limit of " + COMPLEXITY_LIMIT + "; loading fails (E2BIG)",
                    "split the program with tail calls or bpf-to-bpf calls the verifier checks once"));
        }
        boolean unprivileged = resources.privileged().equals(Optional.of(false));
        if (unprivileged && insns > UNPRIVILEGED_INSNS) {
            return Optional.of(new Finding(FindingClass.RESOURCES, Severity.ERROR, subjects,
                    what + "; without CAP_BPF the kernel loads at most " + UNPRIVILEGED_INSNS + " (E2BIG)",
                    "install with CAP_BPF (as root), or use a smaller build of the package"));
        }
        if (processed.isPresent() && processed.get() >= NEAR * COMPLEXITY_LIMIT) {
            return Optional.of(new Finding(FindingClass.RESOURCES, Severity.WARNING, subjects,
                    "this kernel's verifier processed " + processed.get() + " instructions to accept program "
                            + p.name() + " of " + pkg.name() + ", near its limit of " + COMPLEXITY_LIMIT + "; a "
                            + "kernel that explores more states, or a rebuild, may refuse it (E2BIG)",
                    "bound its loops more tightly or split it with tail calls"));
        }
        if (insns >= NEAR * COMPLEXITY_LIMIT) {
            return Optional.of(new Finding(FindingClass.RESOURCES, Severity.WARNING, subjects,
                    what + ", near the kernel's limit of " + COMPLEXITY_LIMIT + "; the verifier processes each "
                            + "instruction at least once, so it is near that limit too",
                    "expect a rebuild or another kernel to refuse it; split it with tail calls"));
        }
        if (unprivileged && insns >= NEAR * UNPRIVILEGED_INSNS) {
            return Optional.of(new Finding(FindingClass.RESOURCES, Severity.WARNING, subjects,
                    what + ", near the limit of " + UNPRIVILEGED_INSNS + " for a loader without CAP_BPF",
                    "install with CAP_BPF if a new version grows past it"));
        }
        return Optional.empty();
    }

    /** Bytes in a readable unit ("1.5 GiB"). */
    static String bytes(long n) {
        if (n == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static long plus(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
