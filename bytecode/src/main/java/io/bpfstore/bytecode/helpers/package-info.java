/**
 * The BPF helper functions: {@link io.bpfstore.bytecode.helpers.HelperCatalog} maps the number in a {@code call}
 * instruction to the helper's name, C prototype, argument and return kinds, and the kernel release that added it;
 * {@link io.bpfstore.bytecode.helpers.HelperEffect} and {@code HelperCatalog.effects(id)} say what each helper does
 * (writes packet data, writes maps, redirects, reads kernel memory, ...), the one classification analyses share.
 *
 * <p>Traps:
 * <ul>
 *   <li>A {@code call} immediate is a helper id only when {@code src_reg} is 0. With {@code src_reg} 1
 *       ({@code BPF_PSEUDO_CALL}) it is a relative jump to a subprogram, with 2 ({@code BPF_PSEUDO_KFUNC_CALL}) a
 *       BTF id of a kfunc; looking those up here gives nonsense.</li>
 *   <li>Helper ids are frozen since kernel 6.2 (id 211); kfuncs replace them and are described by BTF, not here.</li>
 *   <li>The data is generated, not hand-written: edit {@code scripts/gen-helpers} or its inputs, never {@code
 *       helpers.tsv} itself.</li>
 *   <li>Argument kinds come from the documented C prototypes, not from the verifier's own argument types (those
 *       are kernel-internal); see {@link io.bpfstore.bytecode.helpers.ArgumentKind}. The release that added a
 *       helper says nothing about which program types may call it: that is the verifier's per-type list.</li>
 * </ul>
 */
package io.bpfstore.bytecode.helpers;
