package io.bpfstore.agent.data;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.BtfValueFormatter;
import io.bpfstore.bytecode.object.BpfObject;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The struct one map's records (ring buffer or perf event array) decode as. Neither map type has a value type in BTF,
 * so the object names it: a BTF declaration tag {@value #TAG}{@code STRUCT} on the map's variable
 * ({@code } exec_events SEC(".maps") __attribute__((btf_decl_tag("bpfstore.record:exec_event")));}). Without a
 * tag, the object's one named struct of the record's size is taken. A record that finds no struct comes as a hex
 * string, and {@link #note} says why, once.
 */
final class RecordType {
    /** The declaration tag's prefix; the struct's name follows. */
    static final String TAG = "bpfstore.record:";
    private static final HexFormat HEX = HexFormat.of();

    private final Optional<Btf> btf;
    private final Optional<BtfValueFormatter> formatter;
    private final boolean perf;
    /** The tag's struct name, if the object tags the map. */
    private final Optional<String> named;
    /** The tagged struct's id, 0 when the tag names none in the BTF. */
    private final int namedId;
    private final java.util.Map<Integer, Integer> bySize = new java.util.HashMap<>();
    private String pendingNote;
    private boolean noted;

    private RecordType(String map, BpfObject object, boolean perf) {
        this.btf = object.btf();
        this.formatter = btf.map(BtfValueFormatter::new);
        this.perf = perf;
        this.named = btf.flatMap(b -> tagOf(b, map));
        this.namedId = named.flatMap(n -> btf.flatMap(b -> b.find(n, BtfType.Struct.class))).map(BtfType::id).orElse(0);
    }

    /** The record type of {@code map} in {@code object}; {@code perf} for a perf event array (padded samples). */
    static RecordType of(BpfObject object, String map, boolean perf) {
        return new RecordType(map, object, perf);
    }

    /** The struct the declaration tag on {@code map}'s variable names. */
    static Optional<String> tagOf(Btf btf, String map) {
        List<Integer> vars = btf.types().stream().filter(t -> t instanceof BtfType.Var v && v.name().equals(map))
                .map(BtfType::id).toList();
        return btf.types().stream().filter(t -> t instanceof BtfType.DeclTag d && vars.contains(d.type())
                        && d.componentIndex() == -1 && d.name().startsWith(TAG))
                .map(t -> t.name().substring(TAG.length()).strip()).findFirst();
    }

    /** {@code data} decoded as the record struct, or as hex (see {@link #note}). */
    Object decode(byte[] data) {
        int type = namedId != 0 ? namedId : named.isPresent() ? 0
                : bySize.computeIfAbsent(data.length, this::structOfSize);
        if (type == 0) {
            note(named.isPresent()
                    ? "the object names struct " + named.get() + " as its record type, but its BTF has no such struct "
                    + "(clang emits only the types functions, globals and maps use): records come as hex"
                    : "the object names no record type (no " + TAG + "STRUCT declaration tag on the map) and its BTF "
                    + "has no single struct of " + data.length + " bytes: records come as hex");
            return hex(data);
        }
        long size = btf.orElseThrow().sizeof(type);
        if (size > data.length) {
            note("a record of " + data.length + " bytes is shorter than struct " + btf.get().type(type).name() + " ("
                    + size + " bytes): such records come as hex");
            return hex(data);
        }
        try {
            return formatter.orElseThrow().decode(type, data, 0);
        } catch (IllegalArgumentException e) {
            note("struct " + btf.get().type(type).name() + " cannot be decoded (" + e.getMessage() + "): records come "
                    + "as hex");
            return hex(data);
        }
    }

    /** Why records come as hex, the first time only; empty after that or when every record decoded. */
    Optional<String> note() {
        if (pendingNote == null || noted) {
            return Optional.empty();
        }
        noted = true;
        return Optional.of(pendingNote);
    }

    private void note(String why) {
        if (pendingNote == null) {
            pendingNote = why;
        }
    }

    /**
     * The object's one named struct of {@code size} bytes, 0 when there is none or several. A perf sample's raw data
     * is padded by the kernel so that its u32 size and the data end 8-aligned: a struct matches its padded size too.
     */
    private int structOfSize(int size) {
        List<BtfType> found = btf.map(b -> b.types().stream().filter(t -> t instanceof BtfType.Struct s
                && !s.name().isEmpty() && (s.size() == size || perf && ((s.size() + 4 + 7) & ~7L) - 4 == size))
                .toList()).orElse(List.of());
        return found.size() == 1 ? found.getFirst().id() : 0;
    }

    /** {@code 0x} and the bytes in hex: how data without a BTF type is shown. */
    static String hex(byte[] data) {
        return "0x" + HEX.formatHex(data);
    }
}
