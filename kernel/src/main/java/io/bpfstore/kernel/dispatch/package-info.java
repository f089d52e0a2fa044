/**
 * XDP composition: several packages on one interface as one generated XDP program, because this kind of kernel
 * refuses freplace ({@code BPF_PROG_TYPE_EXT}) and with it libxdp's dispatcher. Entry point:
 * {@link io.bpfstore.kernel.dispatch.XdpComposer#compose}; semantics and limits in {@code docs/composition.md}.
 *
 * <p>Traps:
 * <ul>
 *   <li>Members run as bpf-to-bpf subprograms of the dispatcher, so the kernel verifies each again inside the
 *       composed program, as a global function (its BTF linkage): a refusal of the composition is attributed to
 *       the member whose instruction the verifier stopped at. The call depth limit (8 frames) now includes the
 *       dispatcher's frame, so a member may be 7 frames deep; the dispatcher's stack costs nothing with the
 *       JIT.</li>
 *   <li>The kernel wants func_info and line_info for every subprogram or for none, and refuses bpf_loop callbacks
 *       and tail calls in subprograms without them: the members' BTF blobs are merged into one
 *       ({@code ImageBtf} in the loader). A member built without {@code -g} therefore drops BTF for the whole
 *       composition.</li>
 *   <li>The instructions hold the members' map descriptors: the maps given in
 *       {@link io.bpfstore.kernel.dispatch.XdpMember#maps()} must stay open until {@code compose} returns; the loaded
 *       program then holds its own references. A prog array is emptied when its last user-space reference goes,
 *       so tail-calling members need their prog arrays pinned or held.</li>
 *   <li>A member's prog arrays are owned by the program type and flags of their first user: a member built with
 *       {@code xdp.frags} that tail-calls cannot run in a dispatcher without frags (when another member lacks
 *       them).</li>
 *   <li>Recognition is by name ({@code bst_xdp_disp}, libxdp's {@code xdp_dispatcher}) and type: any program can
 *       be loaded under those names, so callers that installed a dispatcher also compare its id with their own
 *       records.</li>
 * </ul>
 */
package io.bpfstore.kernel.dispatch;
