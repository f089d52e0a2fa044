package io.bpfstore.vm.replay;

import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.InitialSlots;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.sections.ProgramType;
import io.bpfstore.bytecode.sections.XdpAction;
import io.bpfstore.vm.Code;
import io.bpfstore.vm.Executor;
import io.bpfstore.vm.Machine;
import io.bpfstore.vm.VmFault;
import io.bpfstore.vm.capture.CapturedPacket;
import io.bpfstore.vm.helpers.Environment;
import io.bpfstore.vm.helpers.PacketHelpers;
import io.bpfstore.vm.load.VmLoadException;
import io.bpfstore.vm.load.VmObject;
import io.bpfstore.vm.maps.VmMap;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.packet.Packet;
import io.bpfstore.vm.packet.SkbContext;
import io.bpfstore.vm.packet.XdpContext;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs packages as an XDP chain over captured packets in the VM: per packet the verdict, which package ended
 * the chain, the bytes changed and the redirect target; per package the verdicts it gave; the maps afterwards.
 * Every package starts with empty maps (global data as compiled), as just after an install.
 */
public final class Replay {
    /** libxdp's XDP_DISPATCHER_RETVAL: a member returning it hands the packet on like XDP_PASS. */
    public static final long DISPATCHER_RETURN = XdpAction.DISPATCHER_RETVAL;
    /** Proceed-on set of a member whose manifest names none: pass and dispatcher_return, as libxdp. */
    public static final Set<Long> DEFAULT_PROCEED_ON = Set.of((long) XdpAction.PASS.number(), DISPATCHER_RETURN);
    /** The interface index packets arrive on. */
    public static final int IFINDEX = 1;
    /** Most packages {@link #orderDiff} permutes (7! = 5,040 runs of the capture). */
    public static final int MAX_ORDER_DIFF = 7;

    /**
     * One package of the chain.
     *
     * @param name      the package's name as the user gave it
     * @param object    its object
     * @param program   its entry program
     * @param proceedOn the verdicts on which the next package runs
     */
    public record Member(String name, BpfObject object, String program, Set<Long> proceedOn) {
        /** An XDP member with its default entry program and proceed-on set. */
        public static Member of(String name, BpfObject object) {
            return of(name, object, Hook.XDP);
        }

        /** A member at {@code hook} with its default entry program (and, for XDP, proceed-on set). */
        public static Member of(String name, BpfObject object, Hook hook) {
            return new Member(name, object, entryProgram(name, object, hook),
                    hook == Hook.XDP ? DEFAULT_PROCEED_ON : Set.of(-1L)); // tcx: TCX_NEXT hands the packet on
        }
    }

    /** Which package (and program) ended the chain for a packet. */
    public record Ended(String pkg, String program) {
    }

    /**
     * What happened to one packet.
     *
     * @param index    position in the capture, from 0
     * @param verdict  the chain's verdict
     * @param endedBy  the package whose verdict ended the chain, empty when every package handed it on
     * @param output   the packet as it left the chain
     * @param changed  byte ranges [offset, length) that differ from the input (a length change is a range too)
     * @param redirect where a redirect sent it
     * @param fault    the fault that stopped a package on this packet, if any (the chain then aborts it)
     * @param verdictName the verdict's name at the hook, e.g. XDP_DROP or TC_ACT_SHOT
     * @param mapsWritten whether any map of the chain changed while this packet ran (only tracked when asked for)
     */
    public record PacketOutcome(int index, long verdict, Optional<Ended> endedBy, byte[] output, List<int[]> changed,
                                Optional<Environment.Redirect> redirect, Optional<String> fault, String verdictName,
                                boolean mapsWritten) {
    }

    /** A map after the replay: hex key to hex values (one per CPU for per-CPU maps). */
    public record MapContents(String pkg, String map, Map<String, List<String>> entries) {
    }

    /** The whole replay. */
    public record Result(List<PacketOutcome> packets, Map<String, Long> verdicts,
                         Map<String, Map<String, Long>> verdictsByPackage, List<MapContents> maps) {
    }

    private Replay() {
    }

    /** A package's chain entry at {@code hook}: its first program of the hook's type that is not only a tail-call target. */
    public static String entryProgram(String name, BpfObject object, Hook hook) {
        Set<String> tailTargets = new java.util.HashSet<>();
        InitialSlots.of(object).forEach(s -> tailTargets.add(s.target()));
        List<Program> fit = object.programs().stream().filter(p -> p.type().orElse(null) == hook.programType()).toList();
        return fit.stream().filter(p -> !tailTargets.contains(p.name())).findFirst().or(() -> fit.stream().findFirst())
                .map(Program::name)
                .orElseThrow(() -> new ReplayException(name + " has no " + (hook == Hook.XDP ? "XDP" : "tc")
                        + " program to replay"));
    }


    /** One loaded member: its object in the shared memory and its own helpers. */
    private record Loaded(Member member, VmObject vm, Code entry, Machine machine) {
    }

    private static List<Loaded> load(List<Member> chain, AddressSpace memory, Hook hook) {
        if (chain.isEmpty()) {
            throw new ReplayException("nothing to replay: no package given");
        }
        List<Loaded> loaded = new ArrayList<>();
        for (Member m : chain) {
            VmObject vm;
            try {
                vm = VmObject.load(m.object(), memory, 1, 0, 1);
            } catch (VmLoadException | IllegalArgumentException e) {
                throw new ReplayException(m.name() + ": " + e.getMessage());
            }
            PacketHelpers helpers = new PacketHelpers(vm.environment(), hook.redirectVerdict(), 0);
            Code entry = vm.program(m.program()).orElseThrow(() -> new ReplayException(m.name() + " has no program "
                    + m.program()));
            for (Code code : vm.programs().values()) { // tail calls may reach any program of the object
                List<String> missing = helpers.unsupported(code);
                if (!missing.isEmpty() && (code == entry || isType(m.object(), code.name(), hook.programType()))) {
                    throw new ReplayException(m.name() + ": program " + code.name()
                            + " calls helpers the VM does not model: " + String.join(", ", missing));
                }
            }
            loaded.add(new Loaded(m, vm, entry, new Machine(memory, helpers.helpers())));
        }
        return loaded;
    }

    /** A hash of every key-value map's entries (global data included): equal before and after = nothing written. */
    private static long fingerprint(List<Loaded> loaded) {
        long hash = 1;
        for (Loaded l : loaded) {
            for (VmMap map : l.vm().environment().maps()) {
                if (map instanceof VmMap.KeyValue kv) {
                    for (Map.Entry<io.bpfstore.vm.maps.MapKey, List<byte[]>> e : kv.entries().entrySet()) {
                        hash = hash * 31 + e.getKey().hashCode();
                        for (byte[] v : e.getValue()) {
                            hash = hash * 31 + java.util.Arrays.hashCode(v);
                        }
                    }
                }
            }
        }
        return hash;
    }

    private static void fill(List<Loaded> loaded, List<InitialEntry> initial) {
        for (InitialEntry e : initial) {
            Loaded member = loaded.stream().filter(l -> l.member().name().equals(e.pkg())).findFirst()
                    .orElseThrow(() -> new ReplayException("initial map contents name package " + e.pkg()
                            + ", which is not in the chain"));
            VmMap map = member.vm().environment().map(e.map()).orElseThrow(() -> new ReplayException(e.pkg()
                    + " has no map " + e.map()));
            switch (map) {
                case VmMap.KeyValue kv -> {
                    if (e.key().length != kv.keySize() || e.value().length != kv.valueSize()) {
                        throw new ReplayException(e.pkg() + " map " + e.map() + ": an entry of " + e.key().length + "/"
                                + e.value().length + " bytes, the map takes keys of " + kv.keySize() + " and values of "
                                + kv.valueSize() + " bytes");
                    }
                    long result = kv.update(e.key(), e.value(), VmMap.BPF_ANY);
                    if (result != 0) {
                        throw new ReplayException(e.pkg() + " map " + e.map() + ": entry " + HexFormat.of().formatHex(e.key())
                                + " refused (errno " + -result + ")");
                    }
                }
                case io.bpfstore.vm.maps.RedirectMap r -> r.set(u32(e.key()), u32(e.value()));
                default -> throw new ReplayException(e.pkg() + " map " + e.map() + " cannot be filled from outside the VM");
            }
        }
    }

    private static long u32(byte[] b) {
        if (b.length != 4) {
            throw new ReplayException("a redirect map's key and target are 4 bytes, got " + b.length);
        }
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    }

    private static boolean isType(BpfObject object, String program, ProgramType type) {
        return object.program(program).flatMap(Program::type).orElse(null) == type;
    }

    /** Replays {@code packets} through an XDP {@code chain} with {@code executor}. */
    public static Result run(List<Member> chain, List<CapturedPacket> packets, Executor executor) {
        return run(chain, packets, executor, Hook.XDP);
    }

    /**
     * An entry a map holds before the replay starts (from a JSON file, or copied from a live pinned map).
     *
     * @param pkg   the member's name
     * @param map   the map's name in its object
     * @param key   the key's bytes
     * @param value the value's bytes (for devmap, cpumap and xskmap: the target as a little-endian u32)
     */
    public record InitialEntry(String pkg, String map, byte[] key, byte[] value) {
    }

    /** Replays {@code packets} through {@code chain} at {@code hook} with {@code executor}, maps starting empty. */
    public static Result run(List<Member> chain, List<CapturedPacket> packets, Executor executor, Hook hook) {
        return run(chain, packets, executor, hook, List.of());
    }

    /** Replays {@code packets} through {@code chain} at {@code hook}, its maps holding {@code initial} first. */
    public static Result run(List<Member> chain, List<CapturedPacket> packets, Executor executor, Hook hook,
                             List<InitialEntry> initial) {
        return run(chain, packets, executor, hook, initial, false);
    }

    /** As {@link #run(List, List, Executor, Hook, List)}; with {@code trackMaps}, notes per packet whether a map changed. */
    static Result run(List<Member> chain, List<CapturedPacket> packets, Executor executor, Hook hook,
                      List<InitialEntry> initial, boolean trackMaps) {
        AddressSpace memory = new AddressSpace();
        List<Loaded> loaded = load(chain, memory, hook);
        fill(loaded, initial);
        List<PacketOutcome> outcomes = new ArrayList<>(packets.size());
        Map<String, Long> verdicts = new TreeMap<>();
        Map<String, Map<String, Long>> byPackage = new LinkedHashMap<>();
        chain.forEach(m -> byPackage.put(m.name(), new TreeMap<>()));
        Packet frame = new Packet(new byte[14]);
        frame.attach(memory);
        SkbContext skb = new SkbContext(frame, IFINDEX);
        long ctx = memory.map(hook == Hook.XDP ? new XdpContext(frame, IFINDEX, 0) : skb);
        for (int i = 0; i < packets.size(); i++) {
            skb.reset();
            long before = trackMaps ? fingerprint(loaded) : 0;
            PacketOutcome outcome = one(i, packets.get(i), loaded, frame, ctx, executor, byPackage, hook);
            if (trackMaps && fingerprint(loaded) != before) {
                outcome = new PacketOutcome(outcome.index(), outcome.verdict(), outcome.endedBy(), outcome.output(),
                        outcome.changed(), outcome.redirect(), outcome.fault(), outcome.verdictName(), true);
            }
            outcomes.add(outcome);
            verdicts.merge(outcome.verdictName(), 1L, Long::sum);
        }
        List<MapContents> maps = new ArrayList<>();
        for (Loaded l : loaded) {
            for (VmMap map : l.vm().environment().maps()) {
                if (map instanceof VmMap.KeyValue kv) {
                    Map<String, List<String>> entries = new TreeMap<>();
                    kv.entries().forEach((k, v) -> entries.put(k.toString(), v.stream().map(HexFormat.of()::formatHex).toList()));
                    maps.add(new MapContents(l.member().name(), map.name(), entries));
                }
            }
        }
        return new Result(List.copyOf(outcomes), verdicts, byPackage, maps);
    }

    private static PacketOutcome one(int index, CapturedPacket captured, List<Loaded> chain, Packet packet, long ctx,
                                     Executor executor, Map<String, Map<String, Long>> byPackage, Hook hook) {
        byte[] input = captured.data();
        if (input.length < 14 || input.length > Packet.FRAME_SIZE - Packet.HEADROOM - Packet.TAILROOM) {
            return new PacketOutcome(index, 0, Optional.empty(), input, List.of(), Optional.empty(),
                    Optional.of("packet of " + input.length + " bytes: the VM needs 14 to "
                            + (Packet.FRAME_SIZE - Packet.HEADROOM - Packet.TAILROOM)), hook.verdictName(0), false);
        }
        packet.load(input);
        long verdict = hook.passVerdict();
        Optional<Ended> ended = Optional.empty();
        Optional<Environment.Redirect> redirect = Optional.empty();
        Optional<String> fault = Optional.empty();
        for (Loaded l : chain) {
            Environment env = l.vm().environment();
            env.clock(captured.timestampNanos());
            env.packet(packet);
            long v;
            try {
                long r0 = executor.run(l.machine(), l.entry(), ctx, 0);
                v = hook == Hook.XDP ? r0 & 0xffffffffL : (int) r0; // tc verdicts are signed ints
            } catch (VmFault f) {
                fault = Optional.of(l.member().name() + ": " + f.getMessage()
                        + l.vm().sourceLine(f.program(), f.slot()).map(line -> " (at " + line + ")").orElse(""));
                v = hook == Hook.XDP ? 0 : 2; // a program that faults is aborted (XDP) or its packet dropped (tc)
            }
            byPackage.get(l.member().name()).merge(hook.verdictName(v), 1L, Long::sum);
            if (env.redirect().isPresent()) {
                redirect = env.redirect();
            }
            boolean next = hook == Hook.XDP ? l.member().proceedOn().contains(v) : v == -1;
            if (fault.isPresent() || !next) {
                verdict = v;
                ended = Optional.of(new Ended(l.member().name(), l.member().program()));
                break;
            }
        }
        byte[] output = packet.bytes();
        return new PacketOutcome(index, verdict, ended, output, changes(input, output),
                verdict == hook.redirectVerdict() ? redirect : Optional.empty(), fault, hook.verdictName(verdict), false);
    }

    /** Byte ranges where {@code after} differs from {@code before}. */
    static List<int[]> changes(byte[] before, byte[] after) {
        List<int[]> ranges = new ArrayList<>();
        int common = Math.min(before.length, after.length);
        int i = 0;
        while (i < common) {
            if (before[i] != after[i]) {
                int start = i;
                while (i < common && before[i] != after[i]) {
                    i++;
                }
                ranges.add(new int[] {start, i - start});
            } else {
                i++;
            }
        }
        if (before.length != after.length) {
            ranges.add(new int[] {common, Math.abs(before.length - after.length)});
        }
        return ranges;
    }

    /**
     * Replays the capture through every order of {@code chain} and returns the indexes of the packets whose
     * outcome (verdict, bytes out, redirect) is not the same in all orders.
     */
    public static List<Integer> orderDiff(List<Member> chain, List<CapturedPacket> packets, Executor executor, Hook hook,
                                          List<InitialEntry> initial) {
        if (chain.size() > MAX_ORDER_DIFF) {
            throw new ReplayException("--order-diff runs every order: " + chain.size() + " packages make "
                    + "too many; give at most " + MAX_ORDER_DIFF);
        }
        List<List<Member>> orders = new ArrayList<>();
        permutations(new ArrayList<>(chain), 0, orders);
        List<String[]> signatures = new ArrayList<>();
        for (List<Member> order : orders) {
            Result r = run(order, packets, executor, hook, initial);
            signatures.add(r.packets().stream().map(p -> p.verdict() + "/" + HexFormat.of().formatHex(p.output()) + "/"
                    + p.redirect().map(Environment.Redirect::toString).orElse("")).toArray(String[]::new));
        }
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < packets.size(); i++) {
            String first = signatures.getFirst()[i];
            for (String[] s : signatures) {
                if (!s[i].equals(first)) {
                    differing.add(i);
                    break;
                }
            }
        }
        return differing;
    }

    private static void permutations(List<Member> members, int k, List<List<Member>> out) {
        if (k == members.size()) {
            out.add(List.copyOf(members));
            return;
        }
        for (int i = k; i < members.size(); i++) {
            java.util.Collections.swap(members, k, i);
            permutations(members, k + 1, out);
            java.util.Collections.swap(members, k, i);
        }
    }
}
