package io.bpfstore.bytecode.btf.core;

/**
 * The decision for one CO-RE relocation (libbpf's {@code bpf_core_relo_res}): what the instruction holds now
 * and what the target needs there.
 *
 * @param origVal           the value the program was compiled with (checked against the instruction when
 *                          {@code validate})
 * @param newVal            the value the target needs
 * @param poison            nothing in the target matches: the instruction must fail verification if reached
 * @param validate          whether the instruction must hold {@code origVal} before it is patched
 * @param failMemSizeAdjust the field's size changed in a way a memory access cannot follow (treated as poison)
 * @param origSize          the field's size in the program's BTF (0 when not a field access)
 * @param newSize           the field's size in the target (0 when not a field access)
 */
public record CoreResult(long origVal, long newVal, boolean poison, boolean validate, boolean failMemSizeAdjust,
                         long origSize, long newSize) {

    /** Whether the relocation found nothing usable, so that the instruction gets poisoned. */
    public boolean missing() {
        return poison || failMemSizeAdjust;
    }
}
