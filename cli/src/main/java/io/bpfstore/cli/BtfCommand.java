package io.bpfstore.cli;

import io.bpfstore.bytecode.btf.Btf;
import io.bpfstore.bytecode.btf.BtfDump;
import io.bpfstore.bytecode.elf.ElfFile;
import io.bpfstore.bytecode.elf.Section;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bpfstore btf FILE}: the raw BTF dump, as {@code bpftool btf dump file FILE} prints it. */
@Command(name = "btf", description = "Dump the BTF of an eBPF object, or a raw BTF file such as "
        + "/sys/kernel/btf/vmlinux, in bpftool's raw format.")
final class BtfCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "eBPF object file (ELF) or raw BTF")
    Path file;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() throws IOException {
        byte[] bytes = ElfFile.readBytes(file);
        Btf btf;
        if (bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
            ElfFile elf = ElfFile.parse(bytes);
            Section section = elf.section(".BTF").orElseThrow(() ->
                    new UserError(file + ": no .BTF section (was the object compiled with -g?)"));
            btf = Btf.parse(section.bytes(), elf.order());
        } else {
            btf = Btf.parse(bytes);
        }
        PrintWriter out = output.out();
        if (output.json()) {
            // each type record as its fields, with its kind and bpftool's line beside them
            Json.print(out, java.util.Map.of("file", file.toString(), "types", btf.types().stream().map(t -> {
                ObjectNode node = Json.mapper().createObjectNode().put("kind", t.kind().name());
                node.setAll((ObjectNode) Json.mapper().valueToTree(t));
                return node.put("text", BtfDump.format(btf, t));
            }).toList()));
            return 0;
        }
        // type names come from the object: escaped like every other text from packages
        btf.types().forEach(t -> Terminal.println(out, BtfDump.format(btf, t)));
        out.flush();
        return 0;
    }
}
