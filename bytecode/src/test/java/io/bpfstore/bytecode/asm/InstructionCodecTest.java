package io.bpfstore.bytecode.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpfstore.bytecode.ByteReader;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InstructionCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Provide
    Arbitrary<List<Instruction>> programs() {
        return InstructionArbitraries.instructions().list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<ByteOrder> orders() {
        return Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    @Property(tries = 2000)
    void validInstructionsSurviveEncodeDecode(@ForAll("programs") List<Instruction> program,
            @ForAll("orders") ByteOrder order) {
        byte[] bytes = InstructionCodec.encode(program, order);
        List<InstructionAt> decoded = InstructionCodec.decode(bytes, order, "test");
        assertEquals(program, decoded.stream().map(InstructionAt::instruction).toList());
        int slot = 0;
        for (InstructionAt at : decoded) {
            assertEquals(slot, at.slot());
            slot += at.instruction().slots();
        }
        assertArrayEquals(bytes, InstructionCodec.encode(decoded.stream().map(InstructionAt::instruction).toList(),
                order));
    }

    @Property(tries = 10000)
    void randomSlotsDecodeExactlyOrFailTyped(@ForAll @Size(min = 0, max = 4) List<Long> slots,
            @ForAll("orders") ByteOrder order) {
        byte[] bytes = new byte[slots.size() * 8];
        for (int i = 0; i < slots.size(); i++) {
            long v = slots.get(i);
            for (int b = 0; b < 8; b++) {
                bytes[i * 8 + b] = (byte) (v >>> (8 * b));
            }
        }
        roundTripOrTypedFailure(bytes, order);
    }

    /** Every opcode with random other fields, so that rare opcodes are not left to chance. */
    @Property(tries = 10000)
    void everyOpcodeDecodesExactlyOrFailsTyped(@ForAll int opcode, @ForAll byte regs, @ForAll short off,
            @ForAll("imms") int imm, @ForAll("orders") ByteOrder order, @ForAll boolean zeroSecond) {
        byte[] bytes = new byte[16];
        bytes[0] = (byte) opcode;
        bytes[1] = (byte) (zeroSecond ? regs & 0x3a : regs);
        bytes[2] = (byte) off;
        bytes[3] = (byte) (zeroSecond ? 0 : off >> 8);
        bytes[4] = (byte) imm;
        bytes[5] = (byte) (imm >> 8);
        bytes[6] = (byte) (imm >> 16);
        bytes[7] = (byte) (imm >> 24);
        bytes[12] = (byte) imm;
        roundTripOrTypedFailure(bytes, order);
    }

    @Provide
    Arbitrary<Integer> imms() {
        return Arbitraries.oneOf(InstructionArbitraries.imms(), Arbitraries.integers().between(0, 0x100),
                Arbitraries.of(16, 32, 64));
    }

    private static void roundTripOrTypedFailure(byte[] bytes, ByteOrder order) {
        List<InstructionAt> decoded;
        try {
            decoded = InstructionCodec.decode(bytes, order, "test");
        } catch (InvalidInstructionException e) {
            assertEquals("test", e.where());
            return;
        }
        byte[] again = InstructionCodec.encode(decoded.stream().map(InstructionAt::instruction).toList(), order);
        assertEquals(HEX.formatHex(bytes), HEX.formatHex(again));
    }

    @Test
    void bigEndianSwapsRegisterNibbles() {
        Instruction load = Instruction.load(io.bpfstore.bytecode.asm.Size.W, Register.R6, Register.R1, 4);
        assertEquals("6116040000000000", HEX.formatHex(InstructionCodec.encode(load, ByteOrder.LITTLE_ENDIAN)));
        assertEquals("6161000400000000", HEX.formatHex(InstructionCodec.encode(load, ByteOrder.BIG_ENDIAN)));
    }

    @Test
    void truncatedLoadImm64NamesSectionAndOffset() {
        byte[] bytes = HEX.parseHex("b7000000000000001801000000000000");
        InvalidInstructionException e = assertThrows(InvalidInstructionException.class,
                () -> InstructionCodec.decode(bytes, ByteOrder.LITTLE_ENDIAN, "xdp"));
        assertEquals("xdp", e.where());
        assertEquals(8, e.offset());
        assertEquals(1, e.slot());
    }

    @Test
    void rejectsUnknownOpcodeAndReservedFields() {
        List<String> bad = new ArrayList<>(List.of(
                "f500000000000000", // JMP op 0xf0 does not exist
                "b710000001000000", // mov K with a source register
                "bf10000001000000", // mov X with an immediate
                "b700010001000000", // mov K with an offset
                "9501000000000000", // exit with a register
                "8530000001000000", // call with source register 3
                "3800000005000000", // LD_ABS DW
                "d321040000000000", // atomic on a byte
                "db210400e0000000", // xchg without fetch
                "1800000000000000" + "0001000000000000", // ld_imm64 second slot with a register
                "b70b000000000000")); // register r11
        for (String hex : bad) {
            assertThrows(InvalidInstructionException.class,
                    () -> InstructionCodec.decode(HEX.parseHex(hex), ByteOrder.LITTLE_ENDIAN, "t"), hex);
        }
    }

    @Test
    void decodesFromAByteReaderSlice() {
        byte[] file = HEX.parseHex("ffffffff" + "9500000000000000" + "ffff");
        ByteReader reader = ByteReader.of(file, ByteOrder.LITTLE_ENDIAN, "file").slice(4, 8, "tc");
        assertEquals(List.of(new InstructionAt(0, Exit.INSTANCE)), InstructionCodec.decode(reader));
        ByteReader bad = ByteReader.of(file, ByteOrder.LITTLE_ENDIAN, "file").slice(0, 8, "xdp");
        InvalidInstructionException e = assertThrows(InvalidInstructionException.class,
                () -> InstructionCodec.decode(bad));
        assertEquals("xdp", e.where());
        assertEquals(0, e.offset());
    }

    @Test
    void trailingBytesAreAnError() {
        InvalidInstructionException e = assertThrows(InvalidInstructionException.class,
                () -> InstructionCodec.decode(new byte[13], ByteOrder.LITTLE_ENDIAN, "t"));
        assertEquals(8, e.offset());
    }
}
