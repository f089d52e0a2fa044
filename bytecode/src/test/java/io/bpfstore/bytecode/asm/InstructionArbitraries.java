package io.bpfstore.bytecode.asm;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid instructions, covering every record and every enum value. */
final class InstructionArbitraries {
    private InstructionArbitraries() {
    }

    static Arbitrary<Register> registers() {
        return Arbitraries.of(Register.class);
    }

    /** Immediates biased towards edge values (0, -1, extremes) that expose sign and byte-order mistakes. */
    static Arbitrary<Integer> imms() {
        return Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7f, 0x80, 0xff, 0x100));
    }

    static Arbitrary<Integer> offsets() {
        return Arbitraries.oneOf(Arbitraries.integers().between(Short.MIN_VALUE, Short.MAX_VALUE),
                Arbitraries.of(0, 1, -1, (int) Short.MIN_VALUE, (int) Short.MAX_VALUE));
    }

    static Arbitrary<Instruction> instructions() {
        Arbitrary<Width> widths = Arbitraries.of(Width.class);
        Arbitrary<Size> sizes = Arbitraries.of(Size.class);
        Arbitrary<Size> smallSizes = Arbitraries.of(Size.B, Size.H, Size.W);
        List<Arbitrary<? extends Instruction>> all = List.of(
                Combinators.combine(widths, Arbitraries.of(AluOp.class), registers(), imms()).as(AluImm::new),
                Combinators.combine(widths, Arbitraries.of(AluOp.class), registers(), registers()).as(AluReg::new),
                Combinators.combine(widths, registers()).as(Neg::new),
                Combinators.combine(registers(), registers(), Arbitraries.of(8, 16, 32))
                        .as((d, s, b) -> new MovSx(Width.W64, d, s, b)),
                Combinators.combine(registers(), registers(), Arbitraries.of(8, 16))
                        .as((d, s, b) -> new MovSx(Width.W32, d, s, b)),
                Combinators.combine(registers(), registers(), imms()).as(AddrSpaceCast::new),
                Combinators.combine(Arbitraries.of(SwapKind.class), registers(), Arbitraries.of(16, 32, 64))
                        .as(ByteSwap::new),
                offsets().map(Goto::new),
                imms().map(GotoLong::new),
                offsets().map(MayGoto::new),
                Combinators.combine(widths, Arbitraries.of(JumpCondition.class), registers(), imms(), offsets())
                        .as(JumpImm::new),
                Combinators.combine(widths, Arbitraries.of(JumpCondition.class), registers(), registers(),
                        offsets()).as(JumpReg::new),
                imms().map(CallHelper::new),
                imms().map(CallLocal::new),
                Combinators.combine(imms(), offsets()).as(CallKfunc::new),
                registers().map(CallRegister::new),
                Arbitraries.just(Exit.INSTANCE),
                Combinators.combine(registers(), Arbitraries.of(Pseudo.class), imms(), imms()).as(LoadImm64::new),
                Combinators.combine(smallSizes, imms()).as(LoadAbsolute::new),
                Combinators.combine(smallSizes, registers(), imms()).as(LoadIndirect::new),
                Combinators.combine(sizes, registers(), registers(), offsets()).as(Load::new),
                Combinators.combine(smallSizes, registers(), registers(), offsets()).as(LoadSigned::new),
                Combinators.combine(sizes, registers(), offsets(), imms()).as(StoreImm::new),
                Combinators.combine(sizes, registers(), registers(), offsets()).as(Store::new),
                Combinators.combine(Arbitraries.of(Size.W, Size.DW), Arbitraries.of(AtomicOp.class),
                        Arbitraries.of(true, false), registers(), registers(), offsets())
                        .as((size, op, fetch, d, s, off) -> new Atomic(size, op, fetch || !op.fetchOptional(), d, s,
                                off)));
        return Arbitraries.oneOf(all);
    }
}
