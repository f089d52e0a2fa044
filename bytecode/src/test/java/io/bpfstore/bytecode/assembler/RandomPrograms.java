package io.bpfstore.bytecode.assembler;

import io.bpfstore.bytecode.asm.AddrSpaceCast;
import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.AluReg;
import io.bpfstore.bytecode.asm.Atomic;
import io.bpfstore.bytecode.asm.AtomicOp;
import io.bpfstore.bytecode.asm.ByteSwap;
import io.bpfstore.bytecode.asm.CallHelper;
import io.bpfstore.bytecode.asm.CallLocal;
import io.bpfstore.bytecode.asm.CallRegister;
import io.bpfstore.bytecode.asm.Exit;
import io.bpfstore.bytecode.asm.Goto;
import io.bpfstore.bytecode.asm.GotoLong;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.Load;
import io.bpfstore.bytecode.asm.LoadAbsolute;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadIndirect;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MayGoto;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Neg;
import io.bpfstore.bytecode.asm.Pseudo;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.SwapKind;
import io.bpfstore.bytecode.asm.Width;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Random programs over every instruction form of the model except kfunc calls (whose text is lossy), with
 * branch and call targets at instruction starts inside the program, for round trips and oracle comparisons beyond the corpora.
 */
final class RandomPrograms {
    private final Random random;
    private final boolean llvmSyntaxOnly;

    /**
     * @param seed           fixes the program, so a failure can be reproduced
     * @param llvmSyntaxOnly leave out the forms only this project's assembler reads (map loads with an offset,
     *                       {@code ld_pseudo} with a second immediate, {@code skb[reg + imm]})
     */
    RandomPrograms(long seed, boolean llvmSyntaxOnly) {
        this.random = new Random(seed);
        this.llvmSyntaxOnly = llvmSyntaxOnly;
    }

    /** A program of {@code count} instructions. */
    List<Instruction> program(int count) {
        List<IntFunction<Instruction>> pending = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        int slot = 0;
        for (int i = 0; i < count; i++) {
            IntFunction<Instruction> make = next();
            pending.add(make);
            slots.add(slot);
            slot += make.apply(0).slots();
        }
        slots.add(slot);
        List<Instruction> program = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // Targets where an instruction starts, or the end: never the second half of a 64-bit load.
            int target = slots.get(random.nextInt(slots.size()));
            int offset = target - slots.get(i) - 1;
            program.add(pending.get(i).apply(Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, offset))));
        }
        return program;
    }

    /** One instruction, given the branch or call distance it should carry (ignored by the others). */
    private IntFunction<Instruction> next() {
        Register dst = register();
        Register src = register();
        Width width = random.nextBoolean() ? Width.W64 : Width.W32;
        int imm = imm();
        int off = (short) imm();
        return switch (random.nextInt(27)) {
            case 0 -> o -> new AluImm(width, pick(AluOp.values()), dst, imm);
            case 1 -> o -> new AluReg(width, pick(AluOp.values()), dst, src);
            case 2 -> o -> new Neg(width, dst);
            case 3 -> {
                int bits = width == Width.W64 ? pick(new Integer[] {8, 16, 32}) : pick(new Integer[] {8, 16});
                yield o -> new MovSx(width, dst, src, bits);
            }
            case 4 -> o -> new AddrSpaceCast(dst, src, pick(new Integer[] {1, 0x10000, random.nextInt()}));
            case 5 -> {
                SwapKind kind = pick(SwapKind.values());
                int bits = pick(new Integer[] {16, 32, 64});
                yield o -> new ByteSwap(kind, dst, bits);
            }
            case 6 -> Goto::new;
            case 7 -> GotoLong::new;
            case 8 -> MayGoto::new;
            case 9 -> {
                JumpCondition c = pick(JumpCondition.values());
                yield o -> new JumpImm(width, c, dst, imm, o);
            }
            case 10 -> {
                JumpCondition c = pick(JumpCondition.values());
                yield o -> new JumpReg(width, c, dst, src, o);
            }
            case 11 -> o -> new CallHelper(imm);
            case 12 -> CallLocal::new;
            case 13 -> o -> new CallRegister(dst);
            case 14 -> o -> Exit.INSTANCE;
            case 15 -> {
                long value = random.nextLong() >> random.nextInt(64);
                yield o -> LoadImm64.of(dst, value);
            }
            case 16 -> {
                Pseudo pseudo = pick(Pseudo.values());
                int next = llvmSyntaxOnly && pseudo != Pseudo.NONE ? 0 : imm();
                yield o -> new LoadImm64(dst, pseudo, imm, next);
            }
            case 17 -> {
                Size size = pick(new Size[] {Size.B, Size.H, Size.W});
                yield o -> new LoadAbsolute(size, imm);
            }
            case 18 -> {
                Size size = pick(new Size[] {Size.B, Size.H, Size.W});
                int k = llvmSyntaxOnly ? 0 : imm;
                yield o -> new LoadIndirect(size, src, k);
            }
            case 19, 20 -> {
                Size size = pick(Size.values());
                yield o -> new Load(size, dst, src, off);
            }
            case 21 -> {
                Size size = pick(new Size[] {Size.B, Size.H, Size.W});
                yield o -> new LoadSigned(size, dst, src, off);
            }
            case 22 -> {
                Size size = pick(Size.values());
                yield o -> new StoreImm(size, dst, off, imm);
            }
            case 23, 24 -> {
                Size size = pick(Size.values());
                yield o -> new Store(size, dst, src, off);
            }
            default -> {
                Size size = random.nextBoolean() ? Size.W : Size.DW;
                AtomicOp op = pick(AtomicOp.values());
                boolean fetch = !op.fetchOptional() || random.nextBoolean();
                yield o -> new Atomic(size, op, fetch, dst, src, off);
            }
        };
    }

    private Register register() {
        return Register.of(random.nextInt(11));
    }

    /** Small numbers, field extremes and anything between. */
    private int imm() {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(33) - 16;
            case 1 -> pick(new Integer[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0, (int) Short.MIN_VALUE,
                    (int) Short.MAX_VALUE, 0xffff, 0x10000});
            default -> random.nextInt();
        };
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
