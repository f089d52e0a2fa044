package io.bpfstore.kernel.loader;

import io.bpfstore.bytecode.asm.CallKfunc;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfType;
import io.bpfstore.bytecode.btf.CoreRelocation;
import io.bpfstore.bytecode.btf.core.TypeCompatibility;
import io.bpfstore.bytecode.elf.Section;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Function;
import io.bpfstore.bytecode.object.Program;
import io.bpfstore.bytecode.object.Relocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns an entry program and its subprograms into the instructions the kernel receives, as libbpf's
 * {@code bpf_object__relocate} does, in its order: CO-RE relocations and data relocations (maps, global data,
 * kfuncs, kernel variables, function addresses) are applied to each function's own copy; then, walking the entry
 * function, every called subprogram not yet placed is appended at the end and walked at once (depth first), and
 * each call or function address is patched with the distance to its callee. {@code func_info} and
 * {@code line_info} records follow their functions.
 */
final class ProgramLinker {
    /** What a linked program needs besides its instructions. */
    record Linked(byte[] instructions, int[] funcInfo, int[] lineInfo, LineTable lines, Map<Integer, String> poisoned) {
        int slots() {
            return instructions.length / InstructionBuffer.SLOT;
        }
    }

    /** File descriptors the instructions refer to. */
    interface Resolver {
        /** fd of the map named {@code name} (BTF-defined or legacy). */
        int mapFd(String name);

        /** fd of the internal map of global-data section {@code section} (or {@code .kconfig}). */
        int dataFd(String section);

        /** Offset of the {@code __kconfig} extern {@code name} in the {@code .kconfig} map, if it is one. */
        java.util.OptionalInt kconfigOffset(String name);
    }

    private final BpfObject object;
    private final ExtInfo ext;
    private final Optional<CoreRelocator> core;
    private final Supplier<Btf> kernelBtf;
    private final Resolver resolver;
    private final Map<String, Function> functionsByStart = new HashMap<>();
    private final Map<Function, byte[]> relocated = new IdentityHashMap<>();
    private final Map<Function, Map<Integer, String>> poisons = new IdentityHashMap<>();

    ProgramLinker(BpfObject object, ExtInfo ext, Optional<CoreRelocator> core, Supplier<Btf> kernelBtf,
                  Resolver resolver) {
        this.object = object;
        this.ext = ext;
        this.core = core;
        this.kernelBtf = kernelBtf;
        this.resolver = resolver;
        for (Function f : object.functions()) {
            functionsByStart.put(f.section() + "@" + f.offset(), f);
        }
    }

    /** Links {@code program}; {@code what} names it in errors ({@code load program "x" (xdp)}). */
    Linked link(Program program, String what) {
        InstructionBuffer code = new InstructionBuffer(program.totalSlots());
        Map<Function, Integer> placed = new IdentityHashMap<>();
        List<int[]> funcs = new ArrayList<>();
        List<int[]> lines = new ArrayList<>();
        List<LineTable.Entry> table = new ArrayList<>();
        place(program.code(), code, placed, funcs, lines, table, what);
        relocateCalls(program.code(), code, placed, funcs, lines, table, what);
        Map<Integer, String> poisoned = new HashMap<>();
        placed.forEach((f, base) -> poisons.getOrDefault(f, Map.of()).forEach((slot, why) -> poisoned.put(base + slot, why)));
        return new Linked(code.toArray(), flatten(funcs), flatten(lines), new LineTable(table), Map.copyOf(poisoned));
    }

    private static int[] flatten(List<int[]> records) {
        int width = records.isEmpty() ? 0 : records.getFirst().length;
        int[] out = new int[records.size() * width];
        for (int i = 0; i < records.size(); i++) {
            System.arraycopy(records.get(i), 0, out, i * width, width);
        }
        return out;
    }

    private void place(Function f, InstructionBuffer code, Map<Function, Integer> placed, List<int[]> funcs,
                       List<int[]> lines, List<LineTable.Entry> table, String what) {
        byte[] own = relocated.computeIfAbsent(f, fn -> relocateData(fn, what));
        int base = code.append(own, 0, f.slots());
        placed.put(f, base);
        int first = (int) (f.offset() / InstructionBuffer.SLOT);
        int end = first + f.slots();
        for (ExtInfo.Record r : ext.funcs(f.section())) {
            if (r.slot() >= first && r.slot() < end) {
                funcs.add(new int[] {r.slot() - first + base, r.fields()[0]});
            }
        }
        Btf btf = object.btf().orElse(null);
        for (ExtInfo.Record r : ext.lines(f.section())) {
            if (r.slot() >= first && r.slot() < end) {
                int slot = r.slot() - first + base;
                lines.add(new int[] {slot, r.fields()[0], r.fields()[1], r.fields()[2]});
                if (btf != null) {
                    String file = btf.string(Integer.toUnsignedLong(r.fields()[0])).orElse("");
                    String text = btf.string(Integer.toUnsignedLong(r.fields()[1])).orElse("");
                    table.add(new LineTable.Entry(slot, new SourceLine(file, r.fields()[2] >>> 10, r.fields()[2] & 0x3ff, text)));
                }
            }
        }
    }

    /** libbpf's bpf_object__reloc_code: walks {@code f} as placed in {@code code}, appending callees depth first. */
    private void relocateCalls(Function f, InstructionBuffer code, Map<Function, Integer> placed, List<int[]> funcs,
                               List<int[]> lines, List<LineTable.Entry> table, String what) {
        int base = placed.get(f);
        for (int slot = 0; slot < f.slots(); slot++) {
            int at = base + slot;
            if (!code.isSubprogramCall(at) && !code.isFunctionAddress(at)) {
                continue;
            }
            Relocation relo = relocationAt(f, slot);
            Function callee;
            if (relo != null && relo.kind() == Relocation.Kind.EXTERN) {
                continue; // a kfunc call, already resolved
            }
            if (relo != null) {
                if (relo.kind() != Relocation.Kind.SUBPROGRAM) {
                    throw new LoadException(what + ": instruction " + slot + " of " + f.name()
                            + " is a call but its relocation refers to " + relo.kind() + " " + relo.symbol());
                }
                callee = functionAt(relo.section(), relo.offset(), f, slot, what);
            } else if (code.isFunctionAddress(at)) {
                throw new LoadException(what + ": function address at instruction " + slot + " of " + f.name()
                        + " has no relocation");
            } else {
                long target = f.offset() + (slot + 1L + code.imm(at)) * InstructionBuffer.SLOT;
                callee = functionAt(f.section(), target, f, slot, what);
            }
            if (!placed.containsKey(callee)) {
                place(callee, code, placed, funcs, lines, table, what);
                relocateCalls(callee, code, placed, funcs, lines, table, what);
            }
            code.imm(at, placed.get(callee) - at - 1);
        }
    }

    private Function functionAt(String section, long offset, Function caller, int slot, String what) {
        Function f = functionsByStart.get(section + "@" + offset);
        if (f == null) {
            throw new LoadException(what + ": " + caller.name() + " instruction " + slot + " calls byte " + offset
                    + " of " + section + ", which starts no function");
        }
        return f;
    }

    private static Relocation relocationAt(Function f, int slot) {
        for (Relocation r : f.relocations()) {
            if (r.instruction() == slot) {
                return r;
            }
        }
        return null;
    }

    /** CO-RE and data relocations of one function, on its own copy (libbpf's relocate_core and relocate_data). */
    private byte[] relocateData(Function f, String what) {
        Section section = object.elf().section(f.section()).orElseThrow();
        InstructionBuffer code = new InstructionBuffer(f.slots());
        code.append(section.bytes(), f.offset(), f.slots());
        String where = what + ", function " + f.name();
        if (core.isPresent() && object.btfExt().isPresent()) {
            List<CoreRelocation> relos = object.btfExt().get().coreRelocations().getOrDefault(f.section(), List.of());
            for (CoreRelocation r : relos) {
                long slot = (r.byteOffset() - f.offset()) / InstructionBuffer.SLOT;
                if (r.byteOffset() >= f.offset() && slot < f.slots()) {
                    core.get().apply(r, code, (int) slot, where).ifPresent(why ->
                            poisons.computeIfAbsent(f, k -> new HashMap<>()).put((int) slot, why));
                }
            }
        }
        for (Relocation r : f.relocations()) {
            int slot = r.instruction();
            switch (r.kind()) {
                case MAP -> {
                    code.src(slot, Pseudo.MAP_FD.code());
                    code.imm(slot, resolver.mapFd(r.symbol()));
                }
                case GLOBAL_DATA -> {
                    code.src(slot, Pseudo.MAP_VALUE.code());
                    code.imm(slot + 1, (int) r.offset());
                    code.imm(slot, resolver.dataFd(r.section()));
                }
                case SUBPROGRAM -> {
                    if (code.code(slot) == InstructionBuffer.LD_IMM64) {
                        code.src(slot, Pseudo.FUNC.code());
                    }
                }
                case EXTERN -> resolveExtern(f, r, code, where);
            }
        }
        return code.toArray();
    }

    private void resolveExtern(Function f, Relocation r, InstructionBuffer code, String where) {
        int slot = r.instruction();
        boolean call = code.code(slot) == InstructionBuffer.CALL; // clang leaves src_reg 0; libbpf marks it a kfunc call
        if (call) {
            Btf kernel = kernelBtf.get();
            Optional<BtfType.Func> func = kernel.find(r.symbol(), BtfType.Func.class);
            if (func.isEmpty()) {
                throw new LoadException(where + ": this kernel has no kfunc " + r.symbol()
                        + " (not in its BTF; the kfunc needs another kernel version or configuration)");
            }
            checkKfuncPrototype(r.symbol(), func.get(), kernel, where);
            code.src(slot, CallKfunc.SRC_REG);
            code.imm(slot, func.get().id());
            code.off(slot, 0);
            return;
        }
        if (!code.isLdImm64(slot)) {
            throw new LoadException(where + ": extern " + r.symbol() + " is used by an instruction that cannot refer to it");
        }
        java.util.OptionalInt kconfig = resolver.kconfigOffset(r.symbol());
        if (kconfig.isPresent()) {
            code.src(slot, Pseudo.MAP_VALUE.code());
            code.imm(slot, resolver.dataFd(KconfigExterns.SECTION));
            code.imm(slot + 1, kconfig.getAsInt());
            return;
        }
        Btf kernel = kernelBtf.get();
        Optional<BtfType.Var> variable = kernel.find(r.symbol(), BtfType.Var.class);
        if (variable.isEmpty()) {
            throw new LoadException(where + ": extern " + r.symbol() + " is not a kernel variable in this kernel's BTF"
                    + " (untyped __ksym externs are not supported)");
        }
        code.src(slot, Pseudo.BTF_ID.code());
        code.imm(slot, variable.get().type() == 0 ? variable.get().id() : variable.get().id());
        code.imm(slot + 1, 0);
    }

    /** libbpf checks that the object's declaration of a kfunc is compatible with the kernel's. */
    private void checkKfuncPrototype(String name, BtfType.Func kernelFunc, Btf kernel, String where) {
        Optional<Btf> local = object.btf();
        if (local.isEmpty()) {
            return;
        }
        Optional<BtfType.Func> declared = local.get().find(name, BtfType.Func.class);
        if (declared.isPresent()
                && !TypeCompatibility.typesCompatible(local.get(), declared.get().type(), kernel, kernelFunc.type(), 32)) {
            throw new LoadException(where + ": kfunc " + name + " is declared with a prototype that does not match"
                    + " this kernel's");
        }
    }
}
