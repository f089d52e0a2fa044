/**
 * The kernel's and libbpf's vocabulary for what a program is and where it attaches: {@link
 * io.bpfstore.bytecode.sections.ProgramType}, {@link io.bpfstore.bytecode.sections.AttachType} and {@link
 * io.bpfstore.bytecode.sections.MapType} (the UAPI enums with their numbers and the names bpftool prints), and
 * {@link io.bpfstore.bytecode.sections.SectionNames}, libbpf's table that turns an ELF section name such as
 * {@code tcx/ingress} or {@code kprobe/do_unlinkat} into a program type, an expected attach type and an attach
 * target.
 *
 * <p>Traps:
 * <ul>
 *   <li>Newer kernels and objects bring numbers this code does not know. Lookups by number answer
 *       {@link java.util.Optional#empty()}; keep the raw number next to the enum so nothing is lost.</li>
 *   <li>Attach type 0 is {@code BPF_CGROUP_INET_INGRESS}, and 0 is also what libbpf passes when a section implies
 *       no expected attach type. A section definition says "none" with an empty optional.</li>
 *   <li>Section names are matched in table order, first match wins, as in libbpf ({@code xdp.frags/devmap}
 *       before {@code xdp}). Matching is exact or "prefix, then '/'"; {@code xdp_prog} is not an XDP section for
 *       libbpf 1.x, only for 0.x ({@link io.bpfstore.bytecode.sections.SectionNames#lookupLegacy(String)}).</li>
 *   <li>The section name is the loader's convention, not the kernel's: the kernel never sees it. Another loader
 *       (cilium/ebpf, Aya, iproute2) may read the same name differently, e.g. iproute2 loads any section it is
 *       told to as the type given on its command line.</li>
 * </ul>
 */
package io.bpfstore.bytecode.sections;
