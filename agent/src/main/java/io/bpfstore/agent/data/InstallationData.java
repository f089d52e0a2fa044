package io.bpfstore.agent.data;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.BtfValueFormatter;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.InstallationStatus.ObjectStatus;
import io.bpfstore.install.Pin;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.PossibleCpus;
import io.bpfstore.kernel.RingBufferReader;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What an installation's maps hold, decoded with the BTF of the package's object ({@link BtfValueFormatter}): one
 * record per entry, {@code {"map", "key", "value"}}; per-CPU maps add {@code "values"} (one {@code {"cpu", "value"}}
 * per possible CPU, as {@code bpftool map dump} prints them) and give in {@code "value"} the numbers summed over the
 * CPUs (other fields, such as enum names, from CPU 0). Keys or values without BTF come as hex strings. Ring buffers,
 * perf event arrays and other maps without lookups are listed with no entries; {@link #follow} streams ring buffer
 * records.
 *
 * <p>Used by {@code bpfstore data} (in-process, reading the pins) and the agent's API alike.
 */
public final class InstallationData {
    private static final HexFormat HEX = HexFormat.of();

    private InstallationData() {
    }

    /**
     * The entries of the installation's maps ({@code only}: just that map), in map order.
     *
     * @throws DataException if {@code only} names no map of the installation
     */
    public static List<Map<String, Object>> read(InstallationStatus status, Optional<String> only) {
        BpfObject object = status.installation().pkg().parse();
        Optional<Btf> btf = object.btf();
        List<Map<String, Object>> out = new ArrayList<>();
        boolean found = false;
        for (ObjectStatus o : status.objects()) {
            if (o.kind() != Pin.Kind.MAP || only.isPresent() && !only.get().equals(o.name())) {
                continue;
            }
            found = true;
            Optional<MapDefinition> def = object.maps().stream().filter(m -> m.name().equals(o.name())).findFirst();
            try (BpfMap map = BpfMap.openPinned(o.pin())) {
                out.addAll(entries(o.name(), map, def, btf));
            } catch (BpfException e) {
                throw new DataException("read map " + o.name() + " of " + status.installation().id() + " (pinned at "
                        + o.pin() + "): " + e.summary());
            }
        }
        if (only.isPresent() && !found) {
            throw new DataException(status.installation().id() + " has no map " + only.get() + " (its maps: "
                    + String.join(", ", status.objects().stream().filter(o -> o.kind() == Pin.Kind.MAP)
                    .map(ObjectStatus::name).toList()) + ")");
        }
        return out;
    }

    /**
     * Streams the records of the installation's ring buffers ({@code only}: just that one) to {@code out} as they
     * are submitted, polling every {@code interval}, until {@code stop} says so. Each record is
     * {@code {"map", "size", "record"}}: a ring buffer's BTF names no record type, so a record is decoded as the
     * object's one struct of exactly its size, and comes as a hex string when there is no such struct or several.
     *
     * @throws DataException if {@code only} names no ring buffer of the installation, or it has none
     */
    public static void follow(InstallationStatus status, Optional<String> only, Consumer<Map<String, Object>> out,
                              BooleanSupplier stop, Duration interval) throws InterruptedException {
        BpfObject object = status.installation().pkg().parse();
        Optional<BtfValueFormatter> formatter = object.btf().map(BtfValueFormatter::new);
        List<RingBufferReader> rings = new ArrayList<>();
        try {
            List<String> maps = new ArrayList<>();
            for (ObjectStatus o : status.objects()) {
                if (o.kind() != Pin.Kind.MAP || only.isPresent() && !only.get().equals(o.name())) {
                    continue;
                }
                maps.add(o.name());
                try (BpfMap map = BpfMap.openPinned(o.pin())) {
                    if (map.info().typeNumber() == RingBufferReader.TYPE) {
                        rings.add(RingBufferReader.open(map));
                    } else if (only.isPresent()) {
                        throw new DataException(o.name() + " of " + status.installation().id() + " is a "
                                + map.info().typeName() + ", not a ring buffer: --follow streams ring buffers");
                    }
                } catch (BpfException e) {
                    throw new DataException("open map " + o.name() + " of " + status.installation().id()
                            + " (pinned at " + o.pin() + "): " + e.summary());
                }
            }
            if (rings.isEmpty()) {
                throw new DataException(status.installation().id() + (only.isPresent() && maps.isEmpty()
                        ? " has no map " + only.get() : " has no ring buffer to follow (its maps: "
                        + String.join(", ", maps) + "; perf event arrays are not streamed)"));
            }
            Map<Integer, Integer> typeOfSize = new HashMap<>();
            while (!stop.getAsBoolean()) {
                for (RingBufferReader ring : rings) {
                    for (byte[] record : ring.poll()) {
                        Map<String, Object> r = new LinkedHashMap<>();
                        r.put("map", ring.name());
                        r.put("size", record.length);
                        int type = typeOfSize.computeIfAbsent(record.length, n -> structOfSize(object, n));
                        r.put("record", decode(formatter, type, record, 0, record.length));
                        out.accept(r);
                    }
                }
                Thread.sleep(interval);
            }
        } finally {
            rings.forEach(RingBufferReader::close);
        }
    }

    /** The id of the object's one struct of {@code size} bytes; 0 when there is none or several. */
    private static int structOfSize(BpfObject object, int size) {
        List<BtfType> found = object.btf().map(btf -> btf.types().stream()
                .filter(t -> t instanceof BtfType.Struct s && s.size() == size && !s.name().isEmpty()).toList())
                .orElse(List.of());
        return found.size() == 1 ? found.getFirst().id() : 0;
    }

    /** The decoded entries of one map. */
    static List<Map<String, Object>> entries(String name, BpfMap map, Optional<MapDefinition> def, Optional<Btf> btf) {
        Optional<BtfValueFormatter> formatter = btf.map(BtfValueFormatter::new);
        int keyType = def.map(MapDefinition::keyTypeId).orElse(0);
        int valueType = def.map(MapDefinition::valueTypeId).orElse(0);
        int valueSize = map.info().valueSize();
        List<Map<String, Object>> out = new ArrayList<>();
        List<byte[]> keys;
        try {
            keys = map.keys();
        } catch (BpfException e) {
            return out; // ring buffers, perf event arrays, queues: no keys to walk
        }
        for (byte[] key : keys) {
            Optional<byte[]> value = map.lookup(key);
            if (value.isEmpty()) {
                continue; // deleted since the key was read
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("map", name);
            entry.put("key", decode(formatter, keyType, key, 0, key.length));
            if (map.isPerCpu()) {
                int stride = (valueSize + 7) & ~7;
                List<Object> values = new ArrayList<>();
                Object sum = null;
                for (int cpu = 0; cpu < PossibleCpus.count(); cpu++) {
                    Object v = decode(formatter, valueType, value.get(), cpu * stride, valueSize);
                    Map<String, Object> perCpu = new LinkedHashMap<>();
                    perCpu.put("cpu", cpu);
                    perCpu.put("value", v);
                    values.add(perCpu);
                    sum = sum == null ? v : add(sum, v);
                }
                entry.put("value", sum);
                entry.put("values", values);
            } else {
                entry.put("value", decode(formatter, valueType, value.get(), 0, valueSize));
            }
            out.add(entry);
        }
        return out;
    }

    private static Object decode(Optional<BtfValueFormatter> formatter, int type, byte[] data, int offset, int size) {
        if (formatter.isPresent() && type != 0) {
            return formatter.get().decode(type, data, offset);
        }
        byte[] bytes = new byte[size];
        System.arraycopy(data, offset, bytes, 0, size);
        return "0x" + HEX.formatHex(bytes);
    }

    /** {@code a + b} over numbers, member by member and element by element; anything else stays {@code a}'s. */
    @SuppressWarnings("unchecked")
    static Object add(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            long r = x + y;
            return ((x ^ r) & (y ^ r)) < 0 ? BigInteger.valueOf(x).add(BigInteger.valueOf(y)) : (Object) r;
        }
        if (a instanceof Number x && b instanceof Number y && (a instanceof BigInteger || b instanceof BigInteger)
                && !(a instanceof Double) && !(b instanceof Double)) {
            return new BigInteger(x.toString()).add(new BigInteger(y.toString()));
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x + y;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) x).forEach((k, v) -> out.put(k, y.containsKey(k) ? add(v, y.get(k)) : v));
            return out;
        }
        if (a instanceof List<?> x && b instanceof List<?> y && x.size() == y.size()) {
            List<Object> out = new ArrayList<>(x.size());
            for (int i = 0; i < x.size(); i++) {
                out.add(add(x.get(i), y.get(i)));
            }
            return out;
        }
        return a;
    }
}
