package io.bpfstore.vm.maps;

import io.bpfstore.vm.Code;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@code BPF_MAP_TYPE_PROG_ARRAY}: the programs {@code bpf_tail_call} can jump to, by index. */
public final class ProgramArray implements VmMap {
    private final String name;
    private final int maxEntries;
    private final Map<Integer, Code> programs = new HashMap<>();

    public ProgramArray(String name, int maxEntries) {
        this.name = name;
        this.maxEntries = maxEntries;
    }

    @Override
    public String name() {
        return name;
    }

    /** Puts {@code code} at {@code index} (what a loader does from user space). */
    public void set(int index, Code code) {
        if (index < 0 || index >= maxEntries) {
            throw new IllegalArgumentException("index " + index + " outside prog array " + name + " of " + maxEntries);
        }
        programs.put(index, code);
    }

    /** The program at {@code index}, if any. */
    public Optional<Code> get(long index) {
        return index < 0 || index >= maxEntries ? Optional.empty() : Optional.ofNullable(programs.get((int) index));
    }
}
