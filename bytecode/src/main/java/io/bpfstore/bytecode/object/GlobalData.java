package io.bpfstore.bytecode.object;

/**
 * A global-data section, which the loader turns into a single-entry array map: {@code .data}, {@code .bss}
 * (zeroes, no bytes in the file), {@code .rodata} and its variants (frozen after load, so the verifier can
 * treat its values as constants).
 *
 * @param section  the ELF section name
 * @param size     size in bytes
 * @param readOnly whether the section is {@code .rodata*} (frozen after load)
 * @param zeroed   whether the section is {@code NOBITS} ({@code .bss}): initialised to zeroes
 */
public record GlobalData(String section, long size, boolean readOnly, boolean zeroed) {
}
