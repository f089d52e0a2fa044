package io.bpfstore.bytecode.object;

import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfExt;
import io.bpfstore.bytecode.elf.ElfFile;
import io.bpfstore.bytecode.elf.ElfHeader;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An eBPF object file as libbpf sees it: entry programs (from section names), subprograms, maps (BTF-defined in
 * {@code .maps} and legacy {@code struct bpf_map_def} in {@code maps}), global data, BTF and the licence.
 * Immutable; read with {@link #read(Path)}.
 *
 * <pre>{@code
 * BpfObject object = BpfObject.read(Path.of("xdp_counter.o"));
 * for (Program p : object.programs()) System.out.println(p.name() + " " + p.type());
 * }</pre>
 */
public final class BpfObject {
    private final String name;
    private final ElfFile elf;
    private final Optional<Btf> btf;
    private final Optional<BtfExt> btfExt;
    private final String license;
    private final OptionalLong kernelVersion;
    private final List<Program> programs;
    private final List<Function> functions;
    private final List<MapDefinition> maps;
    private final List<GlobalData> globalData;
    private final String sha1;
    private final String sha256;

    BpfObject(String name, String sha1, String sha256, ElfFile elf, Optional<Btf> btf, Optional<BtfExt> btfExt, String license,
              OptionalLong kernelVersion, List<Program> programs, List<Function> functions, List<MapDefinition> maps,
              List<GlobalData> globalData) {
        this.name = name;
        this.sha1 = sha1;
        this.sha256 = sha256;
        this.elf = elf;
        this.btf = btf;
        this.btfExt = btfExt;
        this.license = license;
        this.kernelVersion = kernelVersion;
        this.programs = List.copyOf(programs);
        this.functions = List.copyOf(functions);
        this.maps = List.copyOf(maps);
        this.globalData = List.copyOf(globalData);
    }

    /** Reads the object at {@code path}; its name is the file name up to the first dot, as libbpf names it. */
    public static BpfObject read(Path path) throws IOException {
        String file = path.getFileName().toString();
        int dot = file.indexOf('.');
        return parse(ElfFile.readBytes(path), dot > 0 ? file.substring(0, dot) : file);
    }

    /** Parses an object held in memory; {@code name} names it (libbpf uses it as a prefix of internal maps). */
    public static BpfObject parse(byte[] bytes, String name) {
        ElfFile elf = ElfFile.parse(bytes);
        if (elf.header().machine() != ElfHeader.EM_BPF) {
            throw new MalformedObjectException("ELF header", 18,
                    "not an eBPF object: e_machine is " + elf.header().machine() + ", eBPF is " + ElfHeader.EM_BPF);
        }
        if (elf.header().type() != ElfHeader.ET_REL) {
            throw new MalformedObjectException("ELF header", 16,
                    "not a relocatable object: e_type is " + elf.header().type());
        }
        return new ObjectReader(elf, name, digest("SHA-1", bytes), digest("SHA-256", bytes)).read();
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    /** This object with {@code programs} in place of its own (the same programs, their types given by the user). */
    BpfObject withPrograms(List<Program> programs) {
        return new BpfObject(name, sha1, sha256, elf, btf, btfExt, license, kernelVersion, programs, functions, maps,
                globalData);
    }

    /** The object's name (file name up to the first dot). */
    public String name() {
        return name;
    }

    /**
     * The SHA-1 of the object file's bytes, in hex: iproute2 pins an object's {@code PIN_OBJECT_NS} maps in a folder
     * of that name.
     */
    public String sha1() {
        return sha1;
    }

    /**
     * The SHA-256 of the object file's bytes, in hex: what analyses remember results of an object by (the same bytes
     * parsed again give the same programs), where SHA-1 collisions could be made to order.
     */
    public String sha256() {
        return sha256;
    }

    /** The underlying ELF file. */
    public ElfFile elf() {
        return elf;
    }

    /** Byte order of the object, and of its instructions and BTF. */
    public ByteOrder order() {
        return elf.order();
    }

    /** The object's BTF ({@code .BTF}), absent in objects built without {@code -g}. */
    public Optional<Btf> btf() {
        return btf;
    }

    /** The BTF extension ({@code .BTF.ext}): function and line info, CO-RE relocations. */
    public Optional<BtfExt> btfExt() {
        return btfExt;
    }

    /** The licence string of the {@code license} section; empty when there is none. */
    public String license() {
        return license;
    }

    /** The legacy {@code version} section (kernel version for old kprobe programs), if present. */
    public OptionalLong kernelVersion() {
        return kernelVersion;
    }

    /** Entry programs, in section order and then symbol order. */
    public List<Program> programs() {
        return programs;
    }

    /** The entry program named {@code name}. */
    public Optional<Program> program(String name) {
        return programs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every function of the object: entry programs and subprograms. */
    public List<Function> functions() {
        return functions;
    }

    /** Maps the object defines: BTF-defined and legacy maps, then one per global-data section. */
    public List<MapDefinition> maps() {
        return maps;
    }

    /** The map named {@code name}. */
    public Optional<MapDefinition> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Global-data sections ({@code .data}, {@code .rodata*}, {@code .bss*}). */
    public List<GlobalData> globalData() {
        return globalData;
    }

    /** Whether the licence is GPL-compatible in the kernel's sense (needed for GPL-only helpers). */
    public boolean gplCompatible() {
        return switch (license) {
            case "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" -> true;
            default -> false;
        };
    }
}
