package io.bpfstore.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpfstore.bytecode.asm.AluImm;
import io.bpfstore.bytecode.asm.AluOp;
import io.bpfstore.bytecode.asm.AluReg;
import io.bpfstore.bytecode.asm.Atomic;
import io.bpfstore.bytecode.asm.AtomicOp;
import io.bpfstore.bytecode.asm.ByteSwap;
import io.bpfstore.bytecode.asm.Instruction;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.asm.JumpImm;
import io.bpfstore.bytecode.asm.JumpReg;
import io.bpfstore.bytecode.asm.Load;
import io.bpfstore.bytecode.asm.LoadImm64;
import io.bpfstore.bytecode.asm.LoadSigned;
import io.bpfstore.bytecode.asm.MovSx;
import io.bpfstore.bytecode.asm.Neg;
import io.bpfstore.bytecode.asm.Register;
import io.bpfstore.bytecode.asm.Size;
import io.bpfstore.bytecode.asm.Store;
import io.bpfstore.bytecode.asm.StoreImm;
import io.bpfstore.bytecode.asm.SwapKind;
import io.bpfstore.bytecode.asm.Width;
import io.bpfstore.vm.memory.AddressSpace;
import io.bpfstore.vm.memory.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing: random programs (every ALU operation in both widths with random operands, sign-extending moves,
 * byte swaps, loads and stores of every size on the stack and on an input buffer, atomics, forward conditional
 * jumps of every condition, some accesses out of bounds) run in the interpreter and compiled; r0, the memory
 * afterwards, and any fault (its instruction and reason) must be the same.
 */
class CompiledAgainstInterpreterTest {
    private static final int PROGRAMS = Integer.getInteger("bpfstore.vm.fuzz.programs", 3000);

    @Test
    void compiledFormAgreesWithTheInterpreterOnRandomPrograms() {
        SplittableRandom random = new SplittableRandom(0xb9f5_0001L);
        for (int n = 0; n < PROGRAMS; n++) {
            List<Instruction> program = program(random);
            long seed = random.nextLong();
            Result interpreted = run(new Interpreter(), program, seed);
            Result compiled = run(new Compiler(), program, seed);
            String where = "program " + n + ": " + program;
            assertEquals(interpreted.r0, compiled.r0, where + ": r0");
            assertEquals(interpreted.fault, compiled.fault, where + ": fault");
            assertArrayEquals(interpreted.memory, compiled.memory, where + ": input buffer afterwards");
        }
    }

    private record Result(long r0, String fault, byte[] memory) {
    }

    private static Result run(Executor executor, List<Instruction> program, long seed) {
        byte[] buffer = new byte[64];
        new SplittableRandom(seed).nextBytes(buffer);
        AddressSpace memory = new AddressSpace();
        long r1 = memory.map(new Region("input", buffer, true));
        Machine machine = new Machine(memory, Map.of());
        try {
            long r0 = executor.run(machine, Code.of("fuzz", program), r1, buffer.length);
            return new Result(r0, null, buffer);
        } catch (VmFault fault) {
            return new Result(0, fault.getMessage(), buffer);
        }
    }

    private static final Register[] DATA = {Register.R0, Register.R2, Register.R3, Register.R4, Register.R5,
            Register.R6, Register.R7, Register.R8, Register.R9};

    private static Register data(SplittableRandom random) {
        return DATA[random.nextInt(DATA.length)];
    }

    private static int imm(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(-4, 5);
            case 1 -> random.nextInt(64);
            case 2 -> random.nextBoolean() ? Integer.MIN_VALUE : -1;
            default -> random.nextInt();
        };
    }

    /** A random program: initialise registers, then a body with forward jumps only, then exit. */
    static List<Instruction> program(SplittableRandom random) {
        List<Instruction> body = new ArrayList<>();
        for (Register r : DATA) {
            body.add(LoadImm64.of(r, random.nextLong()));
        }
        int length = 5 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            body.add(instruction(random, length - i));
        }
        body.add(Instruction.exit());
        return body;
    }

    private static Instruction instruction(SplittableRandom random, int remaining) {
        Size[] sizes = Size.values();
        Width width = random.nextBoolean() ? Width.W64 : Width.W32;
        AluOp op = AluOp.values()[random.nextInt(AluOp.values().length)];
        return switch (random.nextInt(12)) {
            case 0, 1 -> new AluImm(width, op, data(random), imm(random));
            case 2, 3 -> new AluReg(width, op, data(random), data(random));
            case 4 -> new Neg(width, data(random));
            case 5 -> random.nextBoolean()
                    ? new MovSx(Width.W64, data(random), data(random), new int[] {8, 16, 32}[random.nextInt(3)])
                    : new ByteSwap(SwapKind.values()[random.nextInt(3)], data(random), new int[] {16, 32, 64}[random.nextInt(3)]);
            case 6 -> { // stack store, or a store into the input buffer (sometimes out of bounds)
                Size size = sizes[random.nextInt(sizes.length)];
                yield random.nextBoolean()
                        ? new Store(size, Register.R10, data(random), -8 * (1 + random.nextInt(8)))
                        : new StoreImm(size, Register.R1, random.nextInt(70), imm(random));
            }
            case 7 -> {
                Size size = sizes[random.nextInt(sizes.length)];
                yield random.nextBoolean()
                        ? new Load(size, data(random), Register.R1, random.nextInt(70))
                        : new LoadSigned(size == Size.DW ? Size.W : size, data(random), Register.R10, -8 * (1 + random.nextInt(8)));
            }
            case 8 -> {
                AtomicOp aop = AtomicOp.values()[random.nextInt(AtomicOp.values().length)];
                boolean fetch = !aop.fetchOptional() || random.nextBoolean();
                yield new Atomic(random.nextBoolean() ? Size.W : Size.DW, aop, fetch, Register.R1, data(random), 8 * random.nextInt(9));
            }
            default -> {
                JumpCondition condition = JumpCondition.values()[random.nextInt(JumpCondition.values().length)];
                int offset = random.nextInt(Math.max(1, remaining));
                yield random.nextBoolean()
                        ? new JumpImm(width, condition, data(random), imm(random), offset)
                        : new JumpReg(width, condition, data(random), data(random), offset);
            }
        };
    }
}
