package io.bpfstore.vm.helpers;

import static io.bpfstore.vm.HelperErrno.E2BIG;
import static io.bpfstore.vm.HelperErrno.EFAULT;
import static io.bpfstore.vm.HelperErrno.EINVAL;
import static io.bpfstore.vm.HelperErrno.ENOENT;

import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.helpers.HelperCatalog;
import io.bpfstore.vm.Code;
import io.bpfstore.vm.Helper;
import io.bpfstore.vm.maps.EventOutput;
import io.bpfstore.vm.maps.ProgramArray;
import io.bpfstore.vm.maps.RedirectMap;
import io.bpfstore.vm.maps.VmMap;
import io.bpfstore.vm.memory.MemoryFault;
import io.bpfstore.vm.memory.Region;
import io.bpfstore.vm.packet.Packet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The helpers an XDP (and, through the same map and time helpers, a tc) program may call in the VM, bound to
 * one {@link Environment}. Helpers are named as in the kernel's UAPI and numbered through the bundled
 * {@link HelperCatalog}, so the numbers can't drift from the kernel's.
 */
public final class PacketHelpers {

    private final Environment env;
    private final long redirectAction;
    private final int cpu;
    private final Map<Integer, Helper> helpers = new HashMap<>();
    private final Map<Long, Reservation> reservations = new HashMap<>();
    

    private record Reservation(EventOutput map, Region region) {
    }

    /**
     * @param env            what the helpers act on
     * @param redirectAction the verdict bpf_redirect returns (XDP_REDIRECT, or TC_ACT_REDIRECT for tc)
     * @param cpu            the CPU number programs see
     */
    public PacketHelpers(Environment env, long redirectAction, int cpu) {
        this.env = env;
        this.redirectAction = redirectAction;
        this.cpu = cpu;
        HelperCatalog catalog = HelperCatalog.bundled();
        bind(catalog, "bpf_map_lookup_elem", (m, map, key, a3, a4, a5) -> {
            VmMap.KeyValue kv = keyValue(map);
            return kv.lookup(m.memory().read(key, kv.keySize()));
        });
        bind(catalog, "bpf_map_update_elem", (m, map, key, value, flags, a5) -> {
            VmMap.KeyValue kv = keyValue(map);
            return kv.update(m.memory().read(key, kv.keySize()), m.memory().read(value, kv.valueSize()), flags);
        });
        bind(catalog, "bpf_map_delete_elem", (m, map, key, a3, a4, a5) -> {
            VmMap.KeyValue kv = keyValue(map);
            return kv.delete(m.memory().read(key, kv.keySize()));
        });
        Helper clock = (m, a1, a2, a3, a4, a5) -> env.clock();
        bind(catalog, "bpf_ktime_get_ns", clock);
        bind(catalog, "bpf_ktime_get_boot_ns", clock);
        bind(catalog, "bpf_ktime_get_coarse_ns", clock);
        bind(catalog, "bpf_ktime_get_tai_ns", clock);
        bind(catalog, "bpf_get_prandom_u32", (m, a1, a2, a3, a4, a5) -> env.nextRandom());
        bind(catalog, "bpf_get_smp_processor_id", (m, a1, a2, a3, a4, a5) -> cpu);
        bind(catalog, "bpf_trace_printk", (m, fmt, size, a3, a4, a5) -> {
            String line = TraceFormat.format(m.memory().read(fmt, (int) size), m.memory(), a3, a4, a5);
            env.trace(line);
            return line.length();
        });
        bind(catalog, "bpf_tail_call", (m, ctx, map, index, a4, a5) -> {
            if (!(env.map(map) instanceof ProgramArray programs)) {
                return EINVAL;
            }
            return programs.get(index & 0xffffffffL).map(target -> m.tailCall(target, ctx) ? 0L : ENOENT).orElse(ENOENT);
        });
        bind(catalog, "bpf_redirect", (m, ifindex, flags, a3, a4, a5) -> {
            env.redirect(new Environment.Redirect("ifindex", ifindex & 0xffffffffL, flags));
            return flags == 0 || flags == 1 ? redirectAction : 0; // other flags make it fail with XDP_ABORTED
        });
        bind(catalog, "bpf_redirect_map", (m, map, key, flags, a4, a5) -> {
            if (!(env.map(map) instanceof RedirectMap targets)) {
                return EINVAL;
            }
            var target = targets.target(key & 0xffffffffL);
            if (target.isEmpty()) {
                return flags & 0x3; // the fallback action in the flags' lower bits
            }
            env.redirect(new Environment.Redirect(targets.kind(), target.getAsLong(), flags));
            return redirectAction;
        });
        bind(catalog, "bpf_xdp_adjust_head", (m, ctx, delta, a3, a4, a5) -> env.packet().adjustHead((int) delta));
        bind(catalog, "bpf_xdp_adjust_tail", (m, ctx, delta, a3, a4, a5) -> env.packet().adjustTail((int) delta));
        bind(catalog, "bpf_xdp_adjust_meta", (m, ctx, delta, a3, a4, a5) -> env.packet().adjustMeta((int) delta));
        bind(catalog, "bpf_xdp_get_buff_len", (m, ctx, a2, a3, a4, a5) -> env.packet().length());
        bind(catalog, "bpf_xdp_load_bytes", (m, ctx, offset, buf, len, a5) -> loadBytes(m, offset, buf, len, 0, EINVAL));
        bind(catalog, "bpf_xdp_store_bytes", (m, ctx, offset, buf, len, a5) -> storeBytes(m, offset, buf, len, 0, EINVAL));
        bind(catalog, "bpf_csum_diff", (m, from, fromSize, to, toSize, seed) -> {
            if (fromSize % 4 != 0 || toSize % 4 != 0) {
                return EINVAL;
            }
            byte[] f = fromSize == 0 ? new byte[0] : m.memory().read(from, (int) fromSize);
            byte[] t = toSize == 0 ? new byte[0] : m.memory().read(to, (int) toSize);
            return Checksums.diff(f, t, (int) seed);
        });
        bind(catalog, "bpf_perf_event_output", (m, ctx, map, flags, data, size) -> {
            if (!(env.map(map) instanceof EventOutput out)) {
                return EINVAL;
            }
            out.emit(m.memory().read(data, (int) size));
            return 0;
        });
        bind(catalog, "bpf_ringbuf_output", (m, map, data, size, flags, a5) -> {
            if (!(env.map(map) instanceof EventOutput out)) {
                return EINVAL;
            }
            return out.emit(m.memory().read(data, (int) size)) ? 0 : -11;
        });
        bind(catalog, "bpf_ringbuf_reserve", (m, map, size, flags, a4, a5) -> {
            if (!(env.map(map) instanceof EventOutput out)) {
                return EINVAL;
            }
            Region region = new Region("ring buffer record of " + out.name(), new byte[(int) size], true);
            long address = m.memory().map(region);
            reservations.put(address, new Reservation(out, region));
            return address;
        });
        bind(catalog, "bpf_skb_load_bytes", (m, skb, offset, to, len, a5) -> loadBytes(m, offset, to, len, 1, EFAULT));
        bind(catalog, "bpf_skb_store_bytes", (m, skb, offset, from, len, flags) -> storeBytes(m, offset, from, len, 1, EFAULT));
        bind(catalog, "bpf_skb_pull_data", (m, skb, len, a3, a4, a5) -> 0); // the VM's packets are linear
        bind(catalog, "bpf_l3_csum_replace", (m, skb, offset, from, to, flags) ->
                Checksums.replace(m.memory(), env.packet(), offset, from, to, flags, false));
        bind(catalog, "bpf_l4_csum_replace", (m, skb, offset, from, to, flags) ->
                Checksums.replace(m.memory(), env.packet(), offset, from, to, flags, true));
        bind(catalog, "bpf_loop", (m, r1, callback, ctx, flags, a5) -> {
            long loops = r1 & 0xffffffffL; // nr_loops is a u32
            if (flags != 0) {
                return EINVAL;
            }
            if (loops > (1 << 23)) {
                return E2BIG; // as BPF_MAX_LOOPS
            }
            for (long i = 0; i < loops; i++) {
                if (m.callback(callback, i, ctx, 0, 0, 0) != 0) {
                    return i + 1;
                }
            }
            return loops;
        });
        bind(catalog, "bpf_ringbuf_submit", (m, record, flags, a3, a4, a5) -> finish(m, record, true));
        bind(catalog, "bpf_ringbuf_discard", (m, record, flags, a3, a4, a5) -> finish(m, record, false));
    }

    /**
     * bpf_xdp_load_bytes and bpf_skb_load_bytes: copies {@code len} packet bytes at {@code offset} to {@code to};
     * {@code error} when the range is not in the packet or shorter than {@code minLength} (XDP allows 0, skb not).
     */
    private long loadBytes(io.bpfstore.vm.Machine m, long offset, long to, long len, long minLength, long error) {
        Packet packet = env.packet();
        if (offset < 0 || len < minLength || offset + len > packet.length()) {
            return error;
        }
        m.memory().write(to, m.memory().read(packet.data() + offset, (int) len));
        return 0;
    }

    /** bpf_xdp_store_bytes and bpf_skb_store_bytes: the other way, from {@code from} into the packet. */
    private long storeBytes(io.bpfstore.vm.Machine m, long offset, long from, long len, long minLength, long error) {
        Packet packet = env.packet();
        if (offset < 0 || len < minLength || offset + len > packet.length()) {
            return error;
        }
        m.memory().write(packet.data() + offset, m.memory().read(from, (int) len));
        return 0;
    }

    private long finish(io.bpfstore.vm.Machine m, long record, boolean submit) {
        Reservation r = reservations.remove(record);
        if (r == null) {
            throw new MemoryFault("0x" + Long.toHexString(record) + " is not a ring buffer reservation");
        }
        if (submit) {
            r.map().emit(r.region().bytes());
        }
        m.memory().unmap(record);
        return 0;
    }

    private VmMap.KeyValue keyValue(long handle) {
        VmMap map = env.map(handle);
        if (!(map instanceof VmMap.KeyValue kv)) {
            throw new MemoryFault("map " + map.name() + " has no values a program can look up");
        }
        return kv;
    }

    private void bind(HelperCatalog catalog, String name, Helper helper) {
        catalog.byName(name).ifPresent(h -> helpers.put(h.id(), helper));
    }

    /** The helpers, by number, for a {@link io.bpfstore.vm.Machine}. */
    public Map<Integer, Helper> helpers() {
        return Map.copyOf(helpers);
    }

    /** Names of the helpers {@code code} calls that the VM does not model (empty when it can run). */
    public List<String> unsupported(Code code) {
        TreeSet<String> missing = new TreeSet<>();
        HelperCatalog catalog = HelperCatalog.bundled();
        for (Instruction i : code.slots()) {
            if (i instanceof CallHelper call && !helpers.containsKey(call.helper())) {
                missing.add(catalog.byId(call.helper()).map(h -> h.name()).orElse("helper #" + call.helper()));
            }
        }
        return List.copyOf(missing);
    }
}
