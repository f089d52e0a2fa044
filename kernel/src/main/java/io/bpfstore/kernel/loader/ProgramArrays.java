package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.InitialSlots;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.BpfProgram;
import io.bpfstore.kernel.UpdateMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Fills the statically initialised slots of BTF-defined maps ({@link InitialSlots}: programs in a
 * {@code PROG_ARRAY}, inner maps of a map-in-map) with the file descriptors of what was loaded, as libbpf's
 * {@code init_prog_array_slots} and {@code init_map_in_map_slots} do.
 */
final class ProgramArrays {
    private ProgramArrays() {
    }

    static void fill(BpfObject object, Map<String, BpfMap> maps, Map<String, BpfProgram> programs) {
        for (InitialSlots.Slot slot : InitialSlots.of(object)) {
            BpfMap outer = maps.get(slot.map());
            if (outer == null) {
                continue;
            }
            int fd;
            if (programs.containsKey(slot.target())) {
                fd = programs.get(slot.target()).fd().value();
            } else if (maps.containsKey(slot.target())) {
                fd = maps.get(slot.target()).fd().value();
            } else {
                continue; // a program that was not loaded (refused, with keepGoing): the slot stays empty
            }
            ByteBuffer key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(slot.index());
            ByteBuffer value = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(fd);
            try {
                outer.update(key.array(), value.array(), UpdateMode.ANY);
            } catch (BpfException e) {
                throw new LoadException("initialise slot " + slot.index() + " of map \"" + slot.map() + "\" with "
                        + slot.target() + ": " + e.getMessage(), e);
            }
        }
    }
}
