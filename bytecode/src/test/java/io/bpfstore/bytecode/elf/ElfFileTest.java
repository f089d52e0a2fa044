package io.bpfstore.bytecode.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Compares the ELF reader with llvm-readobj-19 on every example object, and feeds it broken files. */
class ElfFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> matchesLlvmReadobj() {
        return ExampleObjects.all().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> compareWithReadobj(p)));
    }

    private static void compareWithReadobj(Path object) throws IOException {
        ElfFile elf = ElfFile.read(object);
        JsonNode oracle = JSON.readTree(ExternalTool.output("llvm-readobj-19", "--elf-output-style=JSON",
                "--file-header", "--sections", "--symbols", "--relocations", object.toString())).get(0);

        JsonNode sections = oracle.get("Sections");
        assertEquals(sections.size(), elf.sections().size(), "section count");
        for (int i = 0; i < sections.size(); i++) {
            JsonNode want = sections.get(i).get("Section");
            Section got = elf.section(i);
            String what = object.getFileName() + " section " + i;
            assertEquals(want.get("Name").get("Name").asText(), got.name(), what);
            assertEquals(want.get("Type").get("Value").asLong(), Integer.toUnsignedLong(got.type()), what);
            assertEquals(want.get("Flags").get("Value").asLong(), got.flags(), what);
            assertEquals(want.get("Offset").asLong(), got.offset(), what);
            assertEquals(want.get("Size").asLong(), got.size(), what);
            assertEquals(want.get("Link").asLong(), got.link(), what);
            assertEquals(want.get("Info").asLong(), got.info(), what);
            assertEquals(want.get("AddressAlignment").asLong(), got.alignment(), what);
            assertEquals(want.get("EntrySize").asLong(), got.entrySize(), what);
            if (got.type() != Section.SHT_NOBITS && got.size() > 0) {
                byte[] file = Files.readAllBytes(object);
                byte[] expected = java.util.Arrays.copyOfRange(file, (int) got.offset(),
                        (int) (got.offset() + got.size()));
                assertTrue(java.util.Arrays.equals(expected, got.bytes()), what + " bytes");
            }
        }

        JsonNode symbols = oracle.get("Symbols");
        assertEquals(symbols.size(), elf.symbols().size(), "symbol count");
        for (int i = 0; i < symbols.size(); i++) {
            JsonNode want = symbols.get(i).get("Symbol");
            Symbol got = elf.symbols().get(i);
            String what = object.getFileName() + " symbol " + i;
            assertEquals(displayName(elf, got), want.get("Name").get("Name").asText(), what);
            assertEquals(want.get("Value").asLong(), got.value(), what);
            assertEquals(want.get("Size").asLong(), got.size(), what);
            assertEquals(want.get("Binding").get("Value").asInt(), got.binding(), what);
            assertEquals(want.get("Type").get("Value").asInt(), got.type(), what);
            assertEquals(want.get("Section").get("Value").asInt(), got.sectionIndex(), what);
        }

        int relocationSections = 0;
        for (JsonNode group : oracle.withArray("Relocations")) {
            int relSection = group.get("SectionIndex").asInt();
            int target = elf.section(relSection).info();
            List<Relocation> got = elf.relocations(target);
            JsonNode want = group.get("Relocs");
            relocationSections++;
            assertEquals(want.size(), got.size(), object.getFileName() + " relocations of section " + target);
            for (int i = 0; i < want.size(); i++) {
                JsonNode r = want.get(i).get("Relocation");
                assertEquals(r.get("Offset").asLong(), got.get(i).offset());
                assertEquals(r.get("Type").get("Value").asInt(), got.get(i).type());
                assertEquals(r.get("Symbol").get("Name").asText(),
                        displayName(elf, elf.symbols().get(got.get(i).symbolIndex())));
            }
        }
        long ownRelocationSections = elf.sections().stream()
                .filter(s -> s.type() == Section.SHT_REL || s.type() == Section.SHT_RELA).count();
        assertEquals(relocationSections, ownRelocationSections, "relocation sections");
        assertEquals(oracle.get("FileSummary").get("Arch").asText().equals("bpfeb") ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN, elf.order());
    }

    /** llvm-readobj shows a section symbol by its section's name. */
    private static String displayName(ElfFile elf, Symbol symbol) {
        return symbol.type() == Symbol.STT_SECTION && symbol.name().isEmpty() && symbol.isDefined()
                ? elf.section(symbol.sectionIndex()).name() : symbol.name();
    }

    /** Every prefix of every example object is either a valid file or a typed error, never anything else. */
    @TestFactory
    Stream<DynamicTest> truncationGivesTypedErrors() {
        return ExampleObjects.all().stream().limit(6).map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            byte[] whole = Files.readAllBytes(p);
            for (int len = 0; len < whole.length; len += Math.max(1, whole.length / 400)) {
                byte[] cut = java.util.Arrays.copyOf(whole, len);
                try {
                    ElfFile.parse(cut);
                } catch (MalformedObjectException expected) {
                    // the only acceptable failure
                } catch (RuntimeException e) {
                    fail("prefix of " + len + " bytes of " + p.getFileName() + " threw " + e, e);
                }
            }
        }));
    }

    @Test
    void refusesNonElf() {
        MalformedObjectException e = assertThrows(MalformedObjectException.class,
                () -> ElfFile.parse("#!/bin/sh\necho hi\n".getBytes()));
        assertEquals("ELF header", e.where());
        assertEquals(0, e.offset());
    }

    @Test
    void refusesElf32() {
        byte[] b = new byte[64];
        b[0] = 0x7f; b[1] = 'E'; b[2] = 'L'; b[3] = 'F'; b[4] = 1; b[5] = 1; b[6] = 1;
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> ElfFile.parse(b));
        assertEquals(4, e.offset());
    }

    @Test
    void namesSectionWhoseDataLeavesTheFile() throws IOException {
        Path object = ExampleObjects.all().getFirst();
        byte[] b = Files.readAllBytes(object);
        ElfFile elf = ElfFile.parse(b);
        ByteBuffer buf = ByteBuffer.wrap(b).order(elf.order());
        long shoff = buf.getLong(40);
        int victim = 1;
        buf.putLong((int) (shoff + 64L * victim + 32), 1L << 40); // sh_size
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> ElfFile.parse(b));
        assertEquals("section header " + victim, e.where());
        assertTrue(e.getMessage().contains("past the end"), e.getMessage());
    }

    @Test
    void refusesOverlappingSections() throws IOException {
        Path object = ExampleObjects.all().getFirst();
        byte[] b = Files.readAllBytes(object);
        ElfFile elf = ElfFile.parse(b);
        Section a = elf.sections().stream().filter(s -> s.size() > 16 && s.type() == Section.SHT_PROGBITS)
                .findFirst().orElseThrow();
        Section other = elf.sections().stream().filter(s -> s.size() > 16 && s.index() != a.index()
                && s.type() == Section.SHT_PROGBITS).findFirst().orElseThrow();
        ByteBuffer buf = ByteBuffer.wrap(b).order(elf.order());
        long shoff = buf.getLong(40);
        buf.putLong((int) (shoff + 64L * other.index() + 24), a.offset() + 8); // sh_offset inside a
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> ElfFile.parse(b));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
    }

    @Test
    void refusesAbsurdSectionCount() throws IOException {
        byte[] b = Files.readAllBytes(ExampleObjects.all().getFirst());
        ElfFile elf = ElfFile.parse(b);
        ByteBuffer.wrap(b).order(elf.order()).putShort(60, (short) 0xfff0);
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> ElfFile.parse(b));
        assertEquals("ELF header", e.where());
    }

    @Test
    void refusesRelocationToMissingSymbol() throws IOException {
        Path object = ExampleObjects.all().stream().filter(p -> {
            try {
                ElfFile f = ElfFile.read(p);
                return f.sections().stream().anyMatch(s -> s.type() == Section.SHT_REL);
            } catch (IOException e) {
                return false;
            }
        }).findFirst().orElseThrow();
        byte[] b = Files.readAllBytes(object);
        ElfFile elf = ElfFile.parse(b);
        Section rel = elf.sections().stream().filter(s -> s.type() == Section.SHT_REL).findFirst().orElseThrow();
        ByteBuffer buf = ByteBuffer.wrap(b).order(elf.order());
        buf.putLong((int) rel.offset() + 8, (0x7fff_0000L << 32) | 1);
        MalformedObjectException e = assertThrows(MalformedObjectException.class, () -> ElfFile.parse(b));
        assertEquals(rel.name(), e.where());
        assertEquals(8, e.offset());
    }
}
