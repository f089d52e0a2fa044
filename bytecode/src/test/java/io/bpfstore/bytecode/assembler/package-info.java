/**
 * Test tooling (test scope; other modules' tests reach it through bpfstore-bytecode's test-jar). Programs that
 * main code generates are written with {@link io.bpfstore.bytecode.asm.CodeBuilder} instead.
 *
 * <p>Assemblers for the two text forms of eBPF programs that external test suites are written in, producing the
 * instruction model of {@link io.bpfstore.bytecode.asm}.
 *
 * <ul>
 *   <li>{@link io.bpfstore.bytecode.assembler.ConformanceAssembler}: the mnemonic dialect of the bpf_conformance
 *       suite ({@code mov32 %r0, 0}, {@code ldxdw %r0, [%r1+8]}, {@code lock fetch add32 [%r10-4], %r1}), and
 *       {@link io.bpfstore.bytecode.assembler.ConformanceCase}, one test file of that suite (program, memory,
 *       expected result or error).</li>
 *   <li>{@link io.bpfstore.bytecode.assembler.LlvmAssembler}: LLVM's C-like syntax as llvm-objdump prints and
 *       llvm-mc reads it ({@code r0 = *(u32 *)(r1 + 0x4)}, {@code if r1 > 0x5 goto +0x3}), including what
 *       {@link io.bpfstore.bytecode.asm.Disassembler} prints, and the variant the PREVAIL verifier's tests use
 *       ({@code <label>:}, {@code ;} comments, {@code r2 s8= r1}, {@code lock ... += r1 fetch},
 *       {@code r1 = map_fd 1}). {@link io.bpfstore.bytecode.assembler.LlvmPrinter} prints a program back in
 *       this dialect without loss.</li>
 *   <li>{@link io.bpfstore.bytecode.assembler.PrevailAssembler}: the PREVAIL syntax including its three forms
 *       without eBPF encoding, as {@link io.bpfstore.bytecode.assembler.PrevailStatement}s, for a verifier that
 *       runs PREVAIL's tests.</li>
 * </ul>
 * Every fault is an {@link io.bpfstore.bytecode.assembler.AssemblyException} naming the source, line and
 * column.
 *
 * <p>Traps:
 * <ul>
 *   <li><b>Labels count slots.</b> A 64-bit immediate load takes two, so a label after one is two slots
 *       further on; jump distances are counted from the instruction after the jump.</li>
 *   <li><b>The same number means different things in the two dialects.</b> bpf_conformance reads decimal
 *       immediates as signed 32-bit values ({@code 2147483648} is an error) but hexadecimal ones as bit patterns
 *       ({@code 0xffffffff} is -1); LLVM accepts both up to 2^32-1. In both, a 32-bit immediate of a 64-bit
 *       operation is sign-extended by the machine: {@code r1 = 0xffffffff} sets r1 to -1, not 2^32-1 — write
 *       {@code r1 = 0xffffffff ll} for that.</li>
 *   <li><b>llvm-objdump's text is not always the encoding.</b> It prints bpf-to-bpf calls and kfunc calls like
 *       helper calls ({@code call 0x12}), drops the second immediate of {@code ld_pseudo} and the constant of
 *       {@code skb[reg]} packet loads, and (without {@code --mcpu=v3} or later) prints 32-bit atomics other than
 *       add as {@code <unknown>}. Assembling such text gives a helper call, a zero immediate and so on;
 *       {@link io.bpfstore.bytecode.assembler.LlvmPrinter} prints those instructions in forms that keep
 *       everything but a kfunc call's identity.</li>
 *   <li><b>PREVAIL's syntax is close to LLVM's but not equal.</b> It writes {@code r2 s8= r1} for
 *       {@code r2 = (s8)r2}, {@code swap16} for {@code bswap16}, {@code &==} for the bit test {@code &},
 *       {@code x=}/{@code cx=} for exchanges, and lets a 32-bit destination take a 64-bit source name
 *       ({@code w2 = r1}); its {@code assume} pseudo-instruction, its negated bit test {@code &!=} and
 *       {@code w2 s32= r2} have no eBPF encoding: {@code LlvmAssembler} rejects them, {@code PrevailAssembler}
 *       returns them as statements of their own.</li>
 *   <li><b>bpf_conformance's {@code exit} label.</b> A jump to {@code exit} goes to the first {@code exit}
 *       instruction even though no label of that name is written.</li>
 * </ul>
 */
package io.bpfstore.bytecode.assembler;
