package io.bpfstore.bytecode.asm;

/** Size of a memory access, encoded in bits 3-4 of the opcode of load and store classes. */
public enum Size {
    /** Word, 4 bytes. */
    W(0x00, 4),
    /** Half word, 2 bytes. */
    H(0x08, 2),
    /** Byte. */
    B(0x10, 1),
    /** Double word, 8 bytes. */
    DW(0x18, 8);

    private final int code;
    private final int bytes;

    Size(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The opcode bits ({@code BPF_W} and so on). */
    public int code() {
        return code;
    }

    /** Number of bytes accessed. */
    public int bytes() {
        return bytes;
    }

    /** The size whose opcode bits are {@code opcode & 0x18}. */
    static Size ofOpcode(int opcode) {
        return switch (opcode & 0x18) {
            case 0x00 -> W;
            case 0x08 -> H;
            case 0x10 -> B;
            default -> DW;
        };
    }
}
