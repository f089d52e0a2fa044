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

    /** One error per pair of packages pinning one name with different definitions. */
    static List<Finding> check(List<CheckedPackage> packages) {
        List<Finding> out = new ArrayList<>();
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
        return MapType.nameOf(m.type()) + " key " + m.keySize() + " B, value " + m.valueSize() + " B, "
                + m.maxEntries() + " entries" + (m.flags() != 0 ? String.format(", flags 0x%x", m.flags()) : "");
    }
}
