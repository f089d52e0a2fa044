package io.bpfstore.bytecode.object;

import java.util.Optional;

/**
 * A map an object defines, as the loader will create it.
 *
 * @param name        the map's symbol name
 * @param section     {@code .maps} (BTF-defined), {@code maps} (legacy {@code struct bpf_map_def}), or a
 *                    global-data section for the maps libbpf makes of {@code .data}/{@code .rodata}/{@code .bss}
 * @param type        kernel map type number ({@code BPF_MAP_TYPE_*})
 * @param keySize     key size in bytes
 * @param valueSize   value size in bytes
 * @param maxEntries  maximum number of entries
 * @param flags       {@code map_flags}
 * @param pinning     libbpf pinning mode: 0 none, 1 {@code LIBBPF_PIN_BY_NAME}
 * @param keyTypeId   BTF type id of the key, 0 when unknown
 * @param valueTypeId BTF type id of the value, 0 when unknown
 * @param inner       for map-in-map types, the definition of the inner map template
 * @param elfMap      for a legacy {@code maps} record of iproute2's {@code struct bpf_elf_map} layout: its id,
 *                    pinning and map-in-map fields; empty for BTF-defined maps, global data and plain
 *                    {@code struct bpf_map_def} records
 */
public record MapDefinition(String name, String section, int type, long keySize, long valueSize, long maxEntries,
                            long flags, int pinning, int keyTypeId, int valueTypeId,
                            Optional<MapDefinition> inner, Optional<ElfMapFields> elfMap) {
    /** libbpf's {@code LIBBPF_PIN_BY_NAME}. */
    public static final int PIN_BY_NAME = 1;
    /** The section of legacy map records ({@code struct bpf_map_def} or iproute2's {@code struct bpf_elf_map}). */
    public static final String LEGACY_SECTION = "maps";

    /** A definition without iproute2 fields (BTF-defined maps, global data, plain {@code bpf_map_def}). */
    public MapDefinition(String name, String section, int type, long keySize, long valueSize, long maxEntries,
                         long flags, int pinning, int keyTypeId, int valueTypeId, Optional<MapDefinition> inner) {
        this(name, section, type, keySize, valueSize, maxEntries, flags, pinning, keyTypeId, valueTypeId, inner,
                Optional.empty());
    }

    /** Whether it comes from a legacy {@code maps} record rather than BTF or global data. */
    public boolean legacy() {
        return section.equals(LEGACY_SECTION);
    }
}
