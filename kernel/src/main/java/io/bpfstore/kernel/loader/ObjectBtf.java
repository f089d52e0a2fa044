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
 * ELF symbols; the variables of every DATASEC are then sorted by offset, which the kernel requires. Externs
 * ({@code __ksym}) are turned into what the kernel accepts, as libbpf's {@code bpf_object__collect_externs} does:
 * extern FUNCs become global with named parameters, and the {@code .ksyms} DATASEC lists 4-byte placeholder
 * variables instead of functions.
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
        int dummyVar = 0;
        int dummyName = 0;
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.Func f && f.linkage() == Linkage.EXTERN) {
                int at = (int) btf.offsetOf(f.id());
                int nameOff = buf.getInt(at);
                buf.putInt(at + 4, (buf.getInt(at + 4) & ~0xffff) | 1); // BTF_FUNC_GLOBAL
                if (btf.type(f.type()) instanceof BtfType.FuncProto proto) {
                    int p = (int) btf.offsetOf(proto.id()) + TYPE_HEADER;
                    for (int i = 0; i < proto.params().size(); i++) {
                        if (buf.getInt(p + 8 * i) == 0 && buf.getInt(p + 8 * i + 4) != 0) {
                            buf.putInt(p + 8 * i, nameOff); // the kernel wants every parameter named
                        }
                    }
                }
                dummyName = nameOff;
            }
        }
        Optional<BtfType.Datasec> ksyms = btf.find(".ksyms", BtfType.Datasec.class);
        if (ksyms.isPresent()) {
            int intId = btf.types().stream().filter(t -> t instanceof BtfType.Int i && i.size() == 4 && i.bits() == 32)
                    .mapToInt(BtfType::id).findFirst().orElseThrow(() -> new LoadException("object " + object.name()
                            + ": .ksyms externs need a 32-bit int in the object's BTF, and it has none"));
            boolean hasFunc = ksyms.get().vars().stream().anyMatch(v -> btf.type(v.type()) instanceof BtfType.Func);
            if (hasFunc) {
                dummyVar = btf.typeCount();
            }
            int at = (int) btf.offsetOf(ksyms.get().id());
            int off = 0;
            for (int i = 0; i < ksyms.get().vars().size(); i++) {
                int p = at + TYPE_HEADER + i * SECINFO;
                BtfType vt = btf.type(ksyms.get().vars().get(i).type());
                if (vt instanceof BtfType.Func) {
                    buf.putInt(p, dummyVar);
                } else if (vt instanceof BtfType.Var) {
                    int v = (int) btf.offsetOf(vt.id());
                    buf.putInt(v + 8, intId);
                    buf.putInt(v + TYPE_HEADER, 1); // BTF_VAR_GLOBAL_ALLOCATED
                }
                buf.putInt(p + 4, off).putInt(p + 8, 4);
                off += 4;
            }
            buf.putInt(at + 8, off);
            if (hasFunc) {
                raw = appendVar(raw, dummyName, intId);
                buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        Optional<BtfType.Datasec> kconfig = btf.find(KconfigExterns.SECTION, BtfType.Datasec.class);
        if (kconfig.isPresent()) {
            java.util.Map<Integer, Integer> offsets = new java.util.HashMap<>();
            List<KconfigExterns.Extern> layout = KconfigExterns.layout(object);
            layout.forEach(e -> offsets.put(e.var().id(), e.offset()));
            int at = (int) btf.offsetOf(kconfig.get().id());
            buf.putInt(at + 8, KconfigExterns.size(layout));
            for (int i = 0; i < kconfig.get().vars().size(); i++) {
                int var = kconfig.get().vars().get(i).type();
                if (offsets.containsKey(var)) {
                    buf.putInt((int) btf.offsetOf(var) + TYPE_HEADER, 1); // BTF_VAR_GLOBAL_ALLOCATED
                    buf.putInt(at + TYPE_HEADER + i * SECINFO + 4, offsets.get(var));
                }
            }
        }
        for (BtfType t : btf.types()) {
            if (!(t instanceof BtfType.Datasec d) || d.name().equals(".ksyms")) {
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

    /** Appends a global VAR of type {@code intId} at the end of the type section (libbpf's dummy ksym var). */
    private static byte[] appendVar(byte[] raw, int nameOff, int intId) {
        ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int hdrLen = in.getInt(4);
        int typeOff = in.getInt(8);
        int typeLen = in.getInt(12);
        int strOff = in.getInt(16);
        int insertAt = hdrLen + typeOff + typeLen;
        byte[] out = new byte[raw.length + 16];
        System.arraycopy(raw, 0, out, 0, insertAt);
        System.arraycopy(raw, insertAt, out, insertAt + 16, raw.length - insertAt);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(insertAt, nameOff).putInt(insertAt + 4, 14 << 24).putInt(insertAt + 8, intId).putInt(insertAt + 12, 1);
        b.putInt(12, typeLen + 16);
        if (strOff >= typeOff + typeLen) {
            b.putInt(16, strOff + 16);
        }
        return out;
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
