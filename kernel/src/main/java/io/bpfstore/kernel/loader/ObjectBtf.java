package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.Linkage;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.elf.Symbol;
import io.bpfstore.bytecode.object.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The object's {@code .BTF} made ready for BPF_BTF_LOAD, as libbpf's {@code btf_fixup_datasec} does: a DATASEC
 * that the compiler left with size 0 gets its ELF section's size and its global variables the offsets of their
 * ELF symbols; the variables of every DATASEC are then sorted by offset, which the kernel requires.
 */
final class ObjectBtf {
    private static final int TYPE_HEADER = 12;
    private static final int SECINFO = 12;

    private ObjectBtf() {
    }

    /** The raw bytes to load, or empty when the object has no BTF. */
    static Optional<byte[]> sanitised(BpfObject object) {
        Optional<Btf> parsed = object.btf();
        Optional<Section> section = object.elf().section(".BTF");
        if (parsed.isEmpty() || section.isEmpty()) {
            return Optional.empty();
        }
        Btf btf = parsed.get();
        byte[] raw = section.get().bytes().clone();
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        for (BtfType t : btf.types()) {
            if (!(t instanceof BtfType.Datasec d)) {
                continue;
            }
            int at = (int) btf.offsetOf(d.id());
            Optional<Section> data = object.elf().section(d.name());
            if (d.size() == 0 && data.isPresent()) {
                buf.putInt(at + 8, (int) data.get().size());
                for (int i = 0; i < d.vars().size(); i++) {
                    if (btf.type(d.vars().get(i).type()) instanceof BtfType.Var v && v.linkage() == Linkage.GLOBAL) {
                        Optional<Symbol> sym = object.elf().symbols().stream()
                                .filter(s -> s.name().equals(v.name()) && s.type() == Symbol.STT_OBJECT
                                        && s.sectionIndex() == data.get().index())
                                .findFirst();
                        if (sym.isEmpty()) {
                            throw new LoadException("object " + object.name() + ": BTF variable " + v.name()
                                    + " of " + d.name() + " has no ELF symbol");
                        }
                        buf.putInt(at + TYPE_HEADER + i * SECINFO + 4, (int) sym.get().value());
                    }
                }
            }
            sortSecinfos(buf, at + TYPE_HEADER, d.vars().size());
        }
        return Optional.of(raw);
    }

    private static void sortSecinfos(ByteBuffer buf, int start, int count) {
        List<int[]> infos = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = start + i * SECINFO;
            infos.add(new int[] {buf.getInt(p), buf.getInt(p + 4), buf.getInt(p + 8)});
        }
        infos.sort(Comparator.comparingLong(a -> Integer.toUnsignedLong(a[1])));
        for (int i = 0; i < count; i++) {
            int p = start + i * SECINFO;
            buf.putInt(p, infos.get(i)[0]).putInt(p + 4, infos.get(i)[1]).putInt(p + 8, infos.get(i)[2]);
        }
    }
}
