package io.bpfstore.vm.helpers;

import io.bpfstore.vm.maps.VmMap;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.MemoryFault;
import io.bpfstore.vm.memory.Region;
import io.bpfstore.vm.packet.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What the helpers act on during a run: the maps (each with a handle address programs pass to helpers), the
 * packet being processed, a virtual clock the replay drives from capture timestamps, a seeded random source,
 * and what the run produced besides its return value (trace lines, the redirect target).
 */
public final class Environment {
    /** Where a redirect helper sent the packet: the map's kind (or "ifindex") and the target. */
    public record Redirect(String via, long target, long flags) {
    }

    private final AddressSpace memory;
    private final List<VmMap> maps;
    private final long handles;
    private final SplittableRandom random;
    private final List<String> trace = new ArrayList<>();
    private long clockNanos;
    private Packet packet;
    private Redirect redirect;

    /** An environment over {@code maps}, whose handles and values it maps into {@code memory}. */
    public Environment(AddressSpace memory, List<VmMap> maps, long seed) {
        this.memory = memory;
        this.maps = List.copyOf(maps);
        this.handles = memory.map(new Region("map handles", new byte[Math.max(8, maps.size() * 8)], false));
        this.random = new SplittableRandom(seed);
        for (VmMap map : maps) {
            if (map instanceof VmMap.KeyValue kv) {
                kv.attach(memory);
            }
        }
    }

    /** The address space. */
    public AddressSpace memory() {
        return memory;
    }

    /** The maps, in handle order. */
    public List<VmMap> maps() {
        return maps;
    }

    /** The handle address of map {@code index} (what {@code ld_imm64 map} loads). */
    public long handle(int index) {
        return handles + index * 8L;
    }

    /** The map a handle address names. */
    public VmMap map(long handle) {
        long index = (handle - handles) / 8;
        if (handle < handles || (handle - handles) % 8 != 0 || index >= maps.size()) {
            throw new MemoryFault("0x" + Long.toHexString(handle) + " passed as a map is not one");
        }
        return maps.get((int) index);
    }

    /** The map named {@code name}, if any. */
    public Optional<VmMap> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Sets the virtual clock (ns), e.g. from a capture timestamp. */
    public void clock(long nanos) {
        clockNanos = nanos;
    }

    long clock() {
        return clockNanos;
    }

    long nextRandom() {
        return random.nextInt() & 0xffffffffL;
    }

    /** Starts processing {@code packet}: clears the redirect and the trace of the previous packet. */
    public void packet(Packet packet) {
        this.packet = packet;
        this.redirect = null;
        this.trace.clear();
    }

    /** The packet being processed. */
    public Packet packet() {
        if (packet == null) {
            throw new MemoryFault("a packet helper was called with no packet in this run");
        }
        return packet;
    }

    void redirect(Redirect target) {
        redirect = target;
    }

    /** The last redirect target a program set for this packet, if any. */
    public Optional<Redirect> redirect() {
        return Optional.ofNullable(redirect);
    }

    void trace(String line) {
        trace.add(line);
    }

    /** trace_printk output for this packet. */
    public List<String> trace() {
        return List.copyOf(trace);
    }
}
