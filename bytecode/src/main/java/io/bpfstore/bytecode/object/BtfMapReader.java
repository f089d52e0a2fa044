package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads BTF-defined maps: the variables of the {@code .maps} DATASEC, each a struct whose members encode the
 * definition the way libbpf's {@code __uint}, {@code __type} and {@code __array} macros do:
 * {@code int (*name)[N]} carries the number N, {@code T *key} carries a type, {@code T *values[]} the inner map.
 */
final class BtfMapReader {
    private static final String MAPS = ".maps";
    private final Btf btf;

    BtfMapReader(Btf btf) {
        this.btf = btf;
    }

    List<MapDefinition> read() {
        Optional<BtfType.Datasec> datasec = btf.find(MAPS, BtfType.Datasec.class);
        if (datasec.isEmpty()) {
            return List.of();
        }
        List<MapDefinition> maps = new ArrayList<>();
        for (BtfType.VarSecinfo v : datasec.get().vars()) {
            BtfType t = type(v.type(), v.offset());
            if (!(t instanceof BtfType.Var var)) {
                throw fail(v.offset(), "entry of type " + t.kind() + " in the .maps DATASEC is not a variable");
            }
            maps.add(definition(var.name(), var.type(), v.offset()));
        }
        return maps;
    }

    private MapDefinition definition(String name, int typeId, long at) {
        BtfType def = resolve(typeId, at);
        if (!(def instanceof BtfType.Struct struct)) {
            throw fail(at, "map " + name + " is a " + def.kind() + ", not a struct");
        }
        int type = 0;
        long keySize = 0, valueSize = 0, maxEntries = 0, flags = 0;
        int pinning = 0, keyType = 0, valueType = 0;
        Optional<MapDefinition> inner = Optional.empty();
        for (BtfType.Member m : struct.members()) {
            switch (m.name()) {
                case "type" -> type = (int) number(name, m, at);
                case "max_entries" -> maxEntries = number(name, m, at);
                case "map_flags" -> flags = number(name, m, at);
                case "key_size" -> keySize = number(name, m, at);
                case "value_size" -> valueSize = number(name, m, at);
                case "pinning" -> pinning = (int) number(name, m, at);
                case "key" -> {
                    keyType = pointee(name, m, at);
                    keySize = size(name, keyType, at);
                }
                case "value" -> {
                    valueType = pointee(name, m, at);
                    valueSize = size(name, valueType, at);
                }
                case "values" -> inner = innerMap(name, m, at);
                default -> {
                    // numa_node, map_extra and fields of newer libbpf: not part of what we model yet.
                }
            }
        }
        return new MapDefinition(name, MAPS, type, keySize, valueSize, maxEntries, flags, pinning, keyType,
                valueType, inner);
    }

    /** {@code __array(values, struct inner)}: an array of pointers to the inner map's definition struct. */
    private Optional<MapDefinition> innerMap(String map, BtfType.Member m, long at) {
        BtfType t = resolve(m.type(), at);
        if (!(t instanceof BtfType.Array array)) {
            throw fail(at, "map " + map + " member values is a " + t.kind() + ", not an array");
        }
        BtfType element = resolve(array.elementType(), at);
        if (!(element instanceof BtfType.Ptr ptr)) {
            throw fail(at, "map " + map + " member values is not an array of pointers");
        }
        BtfType target = resolve(ptr.type(), at);
        // Program arrays list functions here, not maps.
        return target instanceof BtfType.Struct ? Optional.of(definition(map + ".inner", ptr.type(), at))
                : Optional.empty();
    }

    /** {@code __uint(name, N)} is {@code int (*name)[N]}: the number is the array's element count. */
    private long number(String map, BtfType.Member m, long at) {
        BtfType t = resolve(m.type(), at);
        if (t instanceof BtfType.Ptr ptr && resolve(ptr.type(), at) instanceof BtfType.Array array) {
            return array.count();
        }
        throw fail(at, "map " + map + " member " + m.name() + " is not an __uint() (pointer to array)");
    }

    private int pointee(String map, BtfType.Member m, long at) {
        if (resolve(m.type(), at) instanceof BtfType.Ptr ptr) {
            return ptr.type();
        }
        throw fail(at, "map " + map + " member " + m.name() + " is not a __type() (pointer)");
    }

    private long size(String map, int typeId, long at) {
        try {
            return btf.sizeof(typeId);
        } catch (IllegalArgumentException e) {
            throw fail(at, "map " + map + ": " + e.getMessage());
        }
    }

    private BtfType type(int id, long at) {
        try {
            return btf.type(id);
        } catch (IllegalArgumentException e) {
            throw fail(at, e.getMessage());
        }
    }

    private BtfType resolve(int id, long at) {
        try {
            return btf.resolve(id);
        } catch (IllegalArgumentException e) {
            throw fail(at, e.getMessage());
        }
    }

    private MalformedObjectException fail(long at, String problem) {
        return new MalformedObjectException(MAPS, at, problem);
    }
}
