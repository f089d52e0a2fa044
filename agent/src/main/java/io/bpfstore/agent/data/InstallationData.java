package io.bpfstore.agent.data;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfValueFormatter;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.MapDefinition;
import io.bpfstore.install.InstallationStatus;
import io.bpfstore.install.InstallationStatus.ObjectStatus;
import io.bpfstore.install.Pin;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.BpfMap;
import io.bpfstore.kernel.PossibleCpus;
import io.bpfstore.kernel.MapRecord;
import io.bpfstore.kernel.MapRecordPoller;
import io.bpfstore.kernel.MapRecordReader;
import io.bpfstore.kernel.PerfEventArrayReader;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * perf event arrays and other maps without lookups are listed with no entries; {@link #follow} streams their
 * records.
 *
 * <p>Used by {@code bpfstore data} (in-process, reading the pins) and the agent's API alike.
 */
public final class InstallationData {
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
     * Streams the records of the installation's ring buffers and perf event arrays ({@code only}: just that map) to
     * {@code out} as programs write them, until {@code stop} says so; {@code stop} is asked after every batch and at
     * least every {@code wait}. One JSON object per record: {@code {"map", "size", "record"}}, perf samples with
     * {@code "cpu"}; records the kernel dropped for a full perf buffer as {@code {"map", "cpu", "lost"}}. The first
     * record of a map that cannot be decoded carries a {@code "note"} saying why (such records come as hex strings;
     * {@link RecordType} says how a package names its record struct).
     *
     * @throws DataException if {@code only} names no such map of the installation, or it has none
     */
    public static void follow(InstallationStatus status, Optional<String> only, Consumer<Map<String, Object>> out,
                              BooleanSupplier stop, Duration wait) {
        BpfObject object = status.installation().pkg().parse();
        Map<String, RecordType> types = new HashMap<>();
        List<MapRecordReader> readers = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        try {
            for (ObjectStatus o : status.objects()) {
                if (o.kind() != Pin.Kind.MAP || only.isPresent() && !only.get().equals(o.name())) {
                    continue;
                }
                maps.add(o.name());
                try (BpfMap map = BpfMap.openPinned(o.pin())) {
                    if (MapRecordReader.streams(map.info())) {
                        readers.add(MapRecordReader.open(map));
                        types.put(o.name(), RecordType.of(object, o.name(),
                                map.info().typeNumber() == PerfEventArrayReader.TYPE));
                    } else if (only.isPresent()) {
                        throw new DataException(o.name() + " of " + status.installation().id() + " is a "
                                + map.info().typeName() + ": --follow streams ring buffers and perf event arrays");
                    }
                } catch (BpfException e) {
                    throw new DataException("open map " + o.name() + " of " + status.installation().id()
                            + " (pinned at " + o.pin() + ") for reading: " + e.summary());
                }
            }
        } catch (RuntimeException e) {
            readers.forEach(MapRecordReader::close);
            throw e;
        }
        if (readers.isEmpty()) {
            throw new DataException(status.installation().id() + (only.isPresent() && maps.isEmpty()
                    ? " has no map " + only.get() : " has no ring buffer or perf event array to follow (its maps: "
                    + String.join(", ", maps) + ")"));
        }
        try (MapRecordPoller poller = new MapRecordPoller(readers)) {
            while (!stop.getAsBoolean()) {
                for (MapRecord r : poller.next(wait)) {
                    out.accept(record(r, types.get(r.map())));
                }
            }
        }
    }

    /** One record or loss notice as the JSON object {@link #follow} documents. */
    private static Map<String, Object> record(MapRecord r, RecordType type) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("map", r.map());
        if (r.cpu() >= 0) {
            json.put("cpu", r.cpu());
        }
        if (r.isLoss()) {
            json.put("lost", r.lost());
            return json;
        }
        json.put("size", r.data().length);
        json.put("record", type.decode(r.data()));
        type.note().ifPresent(n -> json.put("note", n));
        return json;
    }

    /** The decoded entries of one map. */
    static List<Map<String, Object>> entries(String name, BpfMap map, Optional<MapDefinition> def, Optional<Btf> btf) {
        Optional<BtfValueFormatter> formatter = btf.map(BtfValueFormatter::new);
        int keyType = def.map(MapDefinition::keyTypeId).orElse(0);
        int valueType = def.map(MapDefinition::valueTypeId).orElse(0);
        int valueSize = map.info().valueSize();
        List<Map<String, Object>> out = new ArrayList<>();
        if (MapRecordReader.streams(map.info())) {
            return out; // a perf event array has keys (CPUs) but no values to read: its records are for follow
        }
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
        return RecordType.hex(bytes);
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
