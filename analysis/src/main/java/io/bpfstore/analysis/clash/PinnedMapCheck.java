package io.bpfstore.analysis.clash;

import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.bytecode.sections.MapType;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps pinned by name ({@code LIBBPF_PIN_BY_NAME}) share one bpffs path: two packages pinning one name share the
 * map, which works only when both define it alike (libbpf refuses to reuse a pin whose definition differs).
 */
final class PinnedMapCheck {
    private PinnedMapCheck() {
    }

    /**
     * One error per pair of packages pinning one name with different definitions, and per package map whose pin
     * path already holds a map defined otherwise.
     */
    static List<Finding> check(List<CheckedPackage> packages, java.util.Map<String, HostView.PinnedMap> pins) {
        List<Finding> out = new ArrayList<>();
        for (CheckedPackage pkg : packages) {
            for (MapDefinition m : pkg.object().maps()) {
                HostView.PinnedMap pin = pins.get(m.name());
                if (m.pinning() != MapDefinition.PIN_BY_NAME || pin == null) {
                    continue;
                }
                String theirs = describe(pin.type(), pin.keySize(), pin.valueSize(), pin.maxEntries(), pin.flags());
                if (!theirs.equals(describe(m))) {
                    out.add(new Finding(FindingClass.PINNED_MAP, Severity.ERROR,
                            List.of(new Subject.PackageRef(pkg.name()), new Subject.MapRef(pkg.name(), m.name()),
                                    new Subject.ForeignMap(pin.id(), pin.name(), pin.path())),
                            pkg.name() + " pins map " + m.name() + " by name at " + pin.path() + ", where map "
                                    + pin.id() + " '" + pin.name() + "' is already pinned with another definition: "
                                    + describe(m) + " in " + pkg.name() + ", " + theirs + " on the host; loading "
                                    + "would fail to reuse the pin",
                            "remove the pin " + pin.path() + " if nothing uses map " + pin.id()
                                    + ", or rename the map in " + pkg.name()));
                }
            }
        }
        for (int i = 0; i < packages.size(); i++) {
            for (int j = i + 1; j < packages.size(); j++) {
                CheckedPackage a = packages.get(i), b = packages.get(j);
                for (MapDefinition m : a.object().maps()) {
                    if (m.pinning() != MapDefinition.PIN_BY_NAME) {
                        continue;
                    }
                    for (MapDefinition n : b.object().maps()) {
                        if (n.pinning() == MapDefinition.PIN_BY_NAME && n.name().equals(m.name())
                                && !describe(m).equals(describe(n))) {
                            out.add(new Finding(FindingClass.PINNED_MAP, Severity.ERROR,
                                    List.of(new Subject.PackageRef(a.name()), new Subject.MapRef(a.name(), m.name()),
                                            new Subject.PackageRef(b.name()), new Subject.MapRef(b.name(), n.name())),
                                    a.name() + " and " + b.name() + " both pin map " + m.name()
                                            + " by name, with different definitions: " + describe(m) + " in "
                                            + a.name() + ", " + describe(n) + " in " + b.name()
                                            + "; the second to load would fail to reuse the pin",
                                    "rename the map in one package, or give both the same definition if they are "
                                            + "meant to share it"));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String describe(MapDefinition m) {
        return describe(m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags());
    }

    private static String describe(int type, long key, long value, long entries, long flags) {
        return MapType.nameOf(type) + " key " + key + " B, value " + value + " B, " + entries + " entries"
                + (flags != 0 ? String.format(", flags 0x%x", flags) : "");
    }
}
