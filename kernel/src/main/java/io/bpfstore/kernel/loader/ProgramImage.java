package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.sections.ProgramType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program ready for BPF_PROG_LOAD but not loaded: relocated instructions (maps already turned into the file
 * descriptors of live maps, CO-RE, kfunc and subprogram calls resolved), the load parameters, and what maps each
 * instruction back to a source line. {@link Loader#link} makes one from an object and {@link Loader#load(ProgramImage)}
 * loads it; {@link #append} builds a program out of several, as the XDP dispatcher does.
 *
 * <p>The descriptors inside the instructions belong to the maps the image was linked against: they must stay open
 * until the image is loaded. An image is immutable.
 */
public final class ProgramImage {
    private final String name;
    private final int typeNumber;
    private final int expectedAttachType;
    private final int flags;
    private final String license;
    private final int kernelVersion;
    private final ProgramLinker.Linked linked;
    private final ImageBtf btf;

    ProgramImage(String name, int typeNumber, int expectedAttachType, int flags, String license, int kernelVersion,
                 ProgramLinker.Linked linked, ImageBtf btf) {
        this.name = Objects.requireNonNull(name, "name");
        this.typeNumber = typeNumber;
        this.expectedAttachType = expectedAttachType;
        this.flags = flags;
        this.license = Objects.requireNonNull(license, "license");
        this.kernelVersion = kernelVersion;
        this.linked = linked;
        this.btf = btf;
    }

    /**
     * An image of generated instructions without line info or map references, described in BTF as one function
     * {@code int name(void *ctx)} so that subprograms appended to it can keep their func_info.
     *
     * @param expectedAttachType {@code BPF_*} attach type number, or -1 for none
     * @param instructions       8-byte slots, native byte order
     */
    public static ProgramImage of(String name, ProgramType type, int expectedAttachType, int flags, String license,
                                  byte[] instructions) {
        if (instructions.length == 0 || instructions.length % InstructionBuffer.SLOT != 0) {
            throw new IllegalArgumentException("program \"" + name + "\": " + instructions.length
                    + " bytes of instructions is not a positive multiple of 8");
        }
        return new ProgramImage(name, type.number(), expectedAttachType, flags, license, 0,
                new ProgramLinker.Linked(instructions.clone(), ImageBtf.functionInfo(), ImageBtf.functionLineInfo(name),
                        new LineTable(List.of(new LineTable.Entry(0, new SourceLine(ImageBtf.GENERATED_FILE, 1, 0,
                                ImageBtf.GENERATED_LINE + " for " + name)))), Map.of()), ImageBtf.function(name));
    }

    /** The program name as the kernel will record it (cut to 15 bytes at load). */
    public String name() {
        return name;
    }

    /** {@code BPF_PROG_TYPE_*}. */
    public int typeNumber() {
        return typeNumber;
    }

    /** {@code BPF_*} expected attach type, or -1 for none. */
    public int expectedAttachType() {
        return expectedAttachType;
    }

    /** prog_flags ({@code BPF_F_XDP_HAS_FRAGS}, {@code BPF_F_SLEEPABLE}...). */
    public int flags() {
        return flags;
    }

    /** The license string the program is loaded with. */
    public String license() {
        return license;
    }

    /** The number of 8-byte instruction slots. */
    public int slots() {
        return linked.slots();
    }

    /** The instructions (a copy). */
    public byte[] instructions() {
        return linked.instructions().clone();
    }

    /** Whether BTF with func_info/line_info goes to the kernel with this image. */
    public boolean hasBtf() {
        return btf.raw().isPresent();
    }

    /** This image under another name. */
    public ProgramImage withName(String newName) {
        return new ProgramImage(newName, typeNumber, expectedAttachType, flags, license, kernelVersion, linked, btf);
    }

    /** This image with other prog_flags. */
    public ProgramImage withFlags(int newFlags) {
        return new ProgramImage(name, typeNumber, expectedAttachType, newFlags, license, kernelVersion, linked, btf);
    }

    /** This image with another license. */
    public ProgramImage withLicense(String newLicense) {
        return new ProgramImage(name, typeNumber, expectedAttachType, flags, newLicense, kernelVersion, linked, btf);
    }

    /**
     * This image followed by {@code parts}, each placed at the slot after the previous one ends, as bpf-to-bpf
     * subprograms: calls from this image into a part are the caller's to patch (relative to where the part
     * lands, {@link #slots()} of everything before it). Line tables and unresolved CO-RE markers are rebased, so a
     * refusal still points at the part's source line. The pieces' BTF blobs are merged into one (type ids and string
     * offsets shifted) and their func_info and line_info rebased; when a piece has no BTF, the kernel gets none at
     * all and verifies every subprogram as a static function.
     */
    public ProgramImage append(List<ProgramImage> parts) {
        List<ProgramImage> all = new ArrayList<>();
        all.add(this);
        all.addAll(parts);
        int total = 0;
        for (ProgramImage p : all) {
            total += p.slots();
        }
        InstructionBuffer code = new InstructionBuffer(total);
        List<LineTable.Entry> lines = new ArrayList<>();
        Map<Integer, String> poisoned = new HashMap<>();
        List<Integer> bases = new ArrayList<>();
        for (ProgramImage p : all) {
            byte[] bytes = p.linked.instructions();
            int base = code.append(bytes, 0, p.slots());
            bases.add(base);
            for (LineTable.Entry e : p.linked.lines().entries()) {
                lines.add(new LineTable.Entry(e.slot() + base, e.line()));
            }
            p.linked.poisoned().forEach((slot, why) -> poisoned.put(slot + base, why));
        }
        ImageBtf.Merged merged = ImageBtf.merge(all.stream().map(p -> p.btf).toList(),
                all.stream().map(p -> p.linked).toList(), bases);
        ProgramLinker.Linked joined = new ProgramLinker.Linked(code.toArray(), merged.funcInfo(), merged.lineInfo(),
                new LineTable(lines), Map.copyOf(poisoned));
        return new ProgramImage(name, typeNumber, expectedAttachType, flags, license, kernelVersion, joined, merged.btf());
    }

    ProgramLinker.Linked linked() {
        return linked;
    }

    ImageBtf btf() {
        return btf;
    }

    int kernelVersion() {
        return kernelVersion;
    }

    /** The type's kernel name, for messages. */
    String typeName() {
        return ProgramType.nameOf(typeNumber);
    }
}
