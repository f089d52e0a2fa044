package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.ElfMapFields;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.UpdateMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What iproute2's loader ({@code tc ... bpf obj}, {@code ip link ... xdp obj}) does with the extra fields of its
 * {@code struct bpf_elf_map} records, so that such objects load here as they would there: pin paths under the
 * bpffs' {@code tc} folder ({@code globals/} for {@code PIN_GLOBAL_NS}, a folder named after the object file's SHA-1
 * for {@code PIN_OBJECT_NS}; iproute2 makes {@code xdp} and {@code ip} symbolic links to {@code tc}), and, once
 * every map exists, each map with an id and an {@code inner_idx} put into slot {@code inner_idx} of every map of
 * maps whose {@code inner_id} is that id.
 */
final class IprouteMaps {
    /** iproute2's folder of pinned maps under the bpffs ({@code BPF_DIR_TC}). */
    static final String TC = "tc";
    /** iproute2's folder of {@code PIN_GLOBAL_NS} maps under {@link #TC} ({@code BPF_DIR_GLOBALS}). */
    static final String GLOBALS = "globals";

    private IprouteMaps() {
    }

    /**
     * Where iproute2 pins {@code def} of {@code object} under the bpffs {@code root}; empty when it pins it nowhere.
     *
     * @throws LoadException for a custom pinning value, which names an entry of {@code /etc/iproute2/bpf_pinning}
     */
    static Optional<Path> pinPath(BpfObject object, MapDefinition def, Path root) {
        if (def.elfMap().isEmpty()) {
            return Optional.empty();
        }
        long pinning = def.elfMap().get().pinning();
        if (pinning == ElfMapFields.PIN_NONE) {
            return Optional.empty();
        }
        if (pinning == ElfMapFields.PIN_GLOBAL_NS) {
            return Optional.of(root.resolve(TC).resolve(GLOBALS).resolve(def.name()));
        }
        if (pinning == ElfMapFields.PIN_OBJECT_NS) {
            return Optional.of(root.resolve(TC).resolve(object.sha1()).resolve(def.name()));
        }
        throw new LoadException("create map \"" + def.name() + "\": pinning " + pinning + " is a custom iproute2"
                + " pinning from /etc/iproute2/bpf_pinning, which bpfstore does not read; use PIN_GLOBAL_NS (2) or"
                + " PIN_OBJECT_NS (1)");
    }

    /** Puts each map that has an id and an {@code inner_idx} into the maps of maps that name it as inner map. */
    static void insertInner(BpfObject object, Map<String, BpfMap> maps) {
        for (MapDefinition inner : object.maps()) {
            Optional<ElfMapFields> fields = inner.elfMap().filter(ElfMapFields::insertedIntoOuter);
            if (fields.isEmpty()) {
                continue;
            }
            for (MapDefinition outer : object.maps()) {
                if (outer.elfMap().filter(o -> o.innerId() == fields.get().id()).isEmpty()) {
                    continue;
                }
                byte[] key = u32(fields.get().innerIndex());
                try {
                    maps.get(outer.name()).update(key, u32(maps.get(inner.name()).fd().value()), UpdateMode.ANY);
                } catch (BpfException e) {
                    throw new LoadException("put map \"" + inner.name() + "\" into slot " + fields.get().innerIndex()
                            + " of map \"" + outer.name() + "\" (its inner_idx): " + e.getMessage(), e);
                }
            }
        }
    }

    private static byte[] u32(long value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) value).array();
    }
}
