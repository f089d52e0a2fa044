package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** {@code disasm}, {@code btf} and {@code inspect} against llvm-objdump-19 and bpftool, and on bad input. */
class BytecodeCommandsTest {

    @TestFactory
    Stream<DynamicTest> disasmEqualsLlvmObjdump() {
        return ExampleObjects.all().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Cli.Result r = Cli.run("disasm", p.toString());
            assertEquals(0, r.exit(), r.err());
            // The only normalisation: llvm-objdump ends with a blank line after the last section.
            assertEquals(ExternalTool.output("llvm-objdump-19", "-d", p.toString()).stripTrailing(), r.out().stripTrailing());
        }));
    }

    @Test
    void disasmJsonHoldsEveryInstructionLlvmObjdumpPrints() throws IOException {
        Path object = ExampleObjects.dir().resolve("subprog_calls.o");
        Cli.Result r = Cli.run("disasm", "-o", "json", object.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = Json.mapper().readTree(r.out());
        List<String> ours = new java.util.ArrayList<>();
        doc.path("sections").forEach(section -> section.path("lines").forEach(l -> {
            if (l.has("offset")) {
                ours.add(l.path("offset").asLong() + " " + l.path("text").asText());
            }
        }));
        List<String> llvm = ExternalTool.output("llvm-objdump-19", "-d", object.toString()).lines()
                .map(l -> l.split("\t", 3)).filter(f -> f.length >= 2 && f[0].strip().matches("\\d+:"))
                .map(f -> f[0].strip().replace(":", "") + " " + (f.length > 2 ? f[2] : "")).toList();
        assertEquals(llvm, ours);
    }

    @Test
    void errorsAreJsonWithOutputJson() throws IOException {
        Cli.Result r = Cli.run("disasm", "-o", "json", "/nonexistent/x.o");
        assertEquals(1, r.exit());
        JsonNode error = Json.mapper().readTree(r.out()).path("error");
        assertEquals("bpfstore disasm", error.path("command").asText());
        assertEquals("/nonexistent/x.o: no such file", error.path("message").asText());
        assertEquals(1, error.path("exit_status").asInt());
        Cli.Result usage = Cli.run("disasm", "-o", "json", "--mcpu", "v9", "x.o");
        assertEquals(2, Json.mapper().readTree(usage.out()).path("error").path("exit_status").asInt(), usage.out());
    }

    @Test
    void aDirectoryIsNamedInTheError(@TempDir Path dir) {
        Cli.Result r = Cli.run("inspect", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("bpfstore inspect: " + dir + ": ") && r.err().contains("directory"), r.err());
    }

    @Test
    void disasmWithSourceShowsEveryLineInfoRecord() throws IOException {
        Path object = ExampleObjects.dir().resolve("subprog_calls.o");
        Cli.Result r = Cli.run("disasm", "--source", object.toString());
        assertEquals(0, r.exit(), r.err());
        long sourceLines = r.out().lines().filter(l -> l.startsWith("; ")).count();
        assertTrue(sourceLines > 10, "source lines interleaved: " + sourceLines);
        assertTrue(r.out().contains("subprog_calls.c:"), "file names shown");
        // Removing the source lines gives back the plain listing.
        String stripped = r.out().lines().filter(l -> !l.startsWith("; ")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(Cli.run("disasm", object.toString()).out(), stripped);
    }

    @TestFactory
    Stream<DynamicTest> btfEqualsBpftool() {
        return ExampleObjects.all().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Cli.Result r = Cli.run("btf", p.toString());
            if (io.bpfstore.bytecode.elf.ElfFile.read(p).section(".BTF").isEmpty()) {
                assertEquals(1, r.exit(), "no .BTF: one clear line");
                assertTrue(r.err().contains("no .BTF section"), r.err());
                return;
            }
            assertEquals(0, r.exit(), r.err());
            assertEquals(ExternalTool.output("bpftool", "btf", "dump", "file", p.toString()), r.out());
        }));
    }

    @Test
    void btfOfObjectWithoutBtfIsOneClearLine() {
        Path object = ExampleObjects.dir().resolve("toolchains/xdp_counter.nobtf.o");
        Cli.Result r = Cli.run("btf", object.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no .BTF section"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @TestFactory
    Stream<DynamicTest> inspectJsonHasTheDocumentedShape() {
        return ExampleObjects.all().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Cli.Result r = Cli.run("inspect", "--output", "json", p.toString());
            assertEquals(0, r.exit(), r.err());
            JsonNode doc = Json.mapper().readTree(r.out());
            assertFalse(doc.get("programs").isEmpty(), "programs");
            for (JsonNode prog : doc.get("programs")) {
                for (String key : new String[] {"name", "section", "type", "attach_type", "instructions", "helpers"}) {
                    assertTrue(prog.has(key), "program key " + key);
                }
                assertTrue(prog.get("instructions").asInt() > 0);
            }
            for (JsonNode map : doc.get("maps")) {
                for (String key : new String[] {"name", "type", "key_size", "value_size", "max_entries", "flags"}) {
                    assertTrue(map.has(key), "map key " + key);
                }
            }
        }));
    }

    @Test
    void inspectDerivesPermissionsFromTheBytecode() throws IOException {
        Cli.Result r = Cli.run("inspect", "--permissions", "--output", "json",
                ExampleObjects.dir().resolve("xdp_reflect.o").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode reflect = Json.mapper().readTree(r.out()).get("permissions").get("xdp_reflect");
        assertTrue(reflect.get("permissions").toString().contains("sends packets back out (XDP_TX)"), reflect.toString());
        assertTrue(reflect.get("permissions").toString().contains("rewrites packets"), reflect.toString());
        assertTrue(reflect.get("capabilities").toString().contains("CAP_NET_ADMIN"), reflect.toString());
        assertTrue(reflect.get("evidence").toString().contains("xdp_reflect.c:"), "evidence names source lines");

        r = Cli.run("inspect", "--permissions", ExampleObjects.dir().resolve("xdp_counter.o").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("inspects packets on an interface"), r.out());
        assertFalse(r.out().contains("rewrites packets"), "the counter only reads: " + r.out());
        assertFalse(r.out().contains("drops packets"), "the counter passes everything: " + r.out());
    }

    @Test
    void missingFileIsOneClearLine() {
        Cli.Result r = Cli.run("inspect", "/nonexistent/x.o");
        assertEquals(1, r.exit());
        assertEquals("bpfstore inspect: /nonexistent/x.o: no such file", r.err().strip());
    }

    @Test
    void garbageIsOneClearLineNamingWhere(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.o");
        Files.writeString(junk, "this is not an ELF file");
        for (String command : new String[] {"inspect", "disasm", "btf"}) {
            Cli.Result r = Cli.run(command, junk.toString());
            assertEquals(1, r.exit(), command);
            // btf also takes raw BTF (e.g. /sys/kernel/btf/vmlinux), so it reports the BTF magic instead.
            assertTrue(r.err().contains(command.equals("btf") ? ".BTF at byte 0: bad magic"
                    : "ELF header at byte 0: not an ELF file"), r.err());
            assertFalse(r.err().contains("Exception"), "no Java exception names: " + r.err());
            assertEquals(1, r.err().lines().count());
        }
    }

    @Test
    void truncatedObjectNamesTheSection(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(ExampleObjects.dir().resolve("xdp_counter.o"));
        Path cut = dir.resolve("cut.o");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        Cli.Result r = Cli.run("inspect", cut.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("bpfstore inspect: malformed object: "), r.err());
        assertTrue(r.err().contains(" at byte "), r.err());
    }

    @Test
    void wrongArgumentsGiveUsage() {
        Cli.Result r = Cli.run("inspect", "--output", "yaml", "x.o");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--output"), r.err());
        r = Cli.run("disasm", "--mcpu", "v9", ExampleObjects.dir().resolve("xdp_counter.o").toString());
        assertEquals(2, r.exit(), "a bad option value is a usage error");
        assertTrue(r.err().contains("unknown --mcpu v9"), r.err());
    }
}
