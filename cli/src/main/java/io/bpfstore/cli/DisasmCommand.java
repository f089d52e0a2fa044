package io.bpfstore.cli;

import io.bpfstore.bytecode.asm.Disassembler;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.ObjectDisassembly;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bpfstore disasm FILE.o}: every program's instructions, as {@code llvm-objdump-19 -d} prints them. */
@Command(name = "disasm", description = "Disassemble the code sections of an eBPF object (llvm-objdump -d form).")
final class DisasmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.o", description = "eBPF object file (ELF)")
    Path file;

    @Option(names = "--source", description = "interleave source lines from BTF line info")
    boolean source;

    @Option(names = "--mcpu", paramLabel = "CPU", defaultValue = "generic",
            description = "generic (llvm-objdump -d), or v3/v4 (llvm-objdump --mcpu=v3: 32-bit loads name w registers)")
    String cpu;

    @Override
    public Integer call() throws IOException {
        Disassembler.Dialect dialect = switch (cpu) {
            case "generic", "v1", "v2" -> Disassembler.Dialect.GENERIC;
            case "v3", "v4" -> Disassembler.Dialect.ALU32;
            default -> throw UserError.usage("unknown --mcpu " + cpu + " (expected generic, v1, v2, v3 or v4)");
        };
        BpfObject object = BpfObject.read(file);
        PrintWriter out = spec.commandLine().getOut();
        ObjectDisassembly.lines(object, file.toString(), dialect, source).forEach(out::println);
        out.flush();
        return 0;
    }
}
