/**
 * XDP composition: several packages on one interface as one generated XDP program, because this kind of kernel
 * refuses freplace ({@code BPF_PROG_TYPE_EXT}) and with it libxdp's dispatcher. Entry point:
 * {@link io.bpfstore.kernel.dispatch.XdpComposer#compose}; semantics in {@code docs/composition.md}.
 *
 * <p>Traps:
 * <ul>
 *   <li>Members run as bpf-to-bpf subprograms of the dispatcher, so the kernel verifies them again, inside the
 *       composed program: the combined stack of the dispatcher frame and the member's deepest call chain must stay
 *       within 512 bytes, the call depth within 8 frames, and a member that tail-calls may use at most 256 bytes of
 *       stack per frame.</li>
 *   <li>The instructions hold the members' map descriptors: the maps given in
 *       {@link io.bpfstore.kernel.dispatch.XdpMember#maps()} must stay open until {@code compose} returns; the loaded
 *       program then holds its own references.</li>
 *   <li>A member's prog arrays are owned by the program type and flags of their first user: a member built with
 *       {@code xdp.frags} that tail-calls cannot run in a dispatcher without frags (when another member lacks
 *       them).</li>
 *   <li>Members from several objects are loaded without BTF func_info/line_info, so global functions are verified
 *       as static ones; refusals still name the member's source line (from the loader's line tables).</li>
 * </ul>
 */
package io.bpfstore.kernel.dispatch;
