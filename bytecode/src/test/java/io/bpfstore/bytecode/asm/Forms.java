package io.bpfstore.bytecode.asm;

import java.util.Set;
import java.util.TreeSet;

/**
 * Names the encoding form of an instruction (its record, operation, width, size, pseudo source; not its
 * registers or numbers), and lists every form that exists, so tests can prove their inputs cover the ISA.
 */
final class Forms {
    private Forms() {
    }

    static String of(Instruction instruction) {
        return switch (instruction) {
            case AluImm a -> "AluImm " + a.width() + " " + a.op();
            case AluReg a -> "AluReg " + a.width() + " " + a.op();
            case Neg n -> "Neg " + n.width();
            case MovSx m -> "MovSx " + m.width() + " " + m.bits();
            case AddrSpaceCast c -> "AddrSpaceCast";
            case ByteSwap s -> "ByteSwap " + s.kind() + " " + s.bits();
            case Goto g -> "Goto";
            case GotoLong g -> "GotoLong";
            case MayGoto m -> "MayGoto";
            case JumpImm j -> "JumpImm " + j.width() + " " + j.condition();
            case JumpReg j -> "JumpReg " + j.width() + " " + j.condition();
            case CallHelper c -> "CallHelper";
            case CallLocal c -> "CallLocal";
            case CallKfunc c -> "CallKfunc";
            case CallRegister c -> "CallRegister";
            case Exit e -> "Exit";
            case LoadImm64 l -> "LoadImm64 " + l.pseudo();
            case LoadAbsolute l -> "LoadAbsolute " + l.size();
            case LoadIndirect l -> "LoadIndirect " + l.size();
            case Load l -> "Load " + l.size();
            case LoadSigned l -> "LoadSigned " + l.size();
            case StoreImm s -> "StoreImm " + s.size();
            case Store s -> "Store " + s.size();
            case Atomic a -> "Atomic " + a.size() + " " + a.op() + (a.fetch() ? " fetch" : "");
        };
    }

    static Set<String> all() {
        Set<String> all = new TreeSet<>();
        for (Width w : Width.values()) {
            for (AluOp op : AluOp.values()) {
                all.add("AluImm " + w + " " + op);
                all.add("AluReg " + w + " " + op);
            }
            for (JumpCondition c : JumpCondition.values()) {
                all.add("JumpImm " + w + " " + c);
                all.add("JumpReg " + w + " " + c);
            }
            all.add("Neg " + w);
        }
        all.add("MovSx W32 8");
        all.add("MovSx W32 16");
        all.add("MovSx W64 8");
        all.add("MovSx W64 16");
        all.add("MovSx W64 32");
        all.add("AddrSpaceCast");
        for (SwapKind k : SwapKind.values()) {
            for (int bits : new int[] {16, 32, 64}) {
                all.add("ByteSwap " + k + " " + bits);
            }
        }
        all.addAll(Set.of("Goto", "GotoLong", "MayGoto", "CallHelper", "CallLocal", "CallKfunc", "CallRegister",
                "Exit"));
        for (Pseudo p : Pseudo.values()) {
            all.add("LoadImm64 " + p);
        }
        for (Size s : Size.values()) {
            all.add("Load " + s);
            all.add("StoreImm " + s);
            all.add("Store " + s);
            if (s != Size.DW) {
                all.add("LoadAbsolute " + s);
                all.add("LoadIndirect " + s);
                all.add("LoadSigned " + s);
            }
        }
        for (Size s : new Size[] {Size.W, Size.DW}) {
            for (AtomicOp op : AtomicOp.values()) {
                all.add("Atomic " + s + " " + op + " fetch");
                if (op.fetchOptional()) {
                    all.add("Atomic " + s + " " + op);
                }
            }
        }
        return all;
    }
}
