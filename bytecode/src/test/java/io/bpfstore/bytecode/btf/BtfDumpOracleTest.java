package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bpfstore.testsupport.ScratchDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link BtfDump} against {@code bpftool btf dump file}, line by line and byte for byte (no whitespace is
 * normalised: bpftool's tabs and single spaces must match exactly).
 */
class BtfDumpOracleTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @TestFactory
    Stream<DynamicTest> everyObjectDumpsLikeBpftool() {
        return TestObjects.withBtf().stream().map(object -> DynamicTest.dynamicTest(object.getFileName().toString(),
                () -> {
                    Btf btf = Btf.parse(Tool.section(object, ".BTF"));
                    compare(btf, object.toString(), List.of());
                }));
    }

    @Test
    void vmlinuxDumpsLikeBpftool() throws IOException {
        assertTrue(Files.isReadable(VMLINUX), "this kernel must expose " + VMLINUX);
        Btf btf = Btf.parse(Files.readAllBytes(VMLINUX));
        assertTrue(btf.types().size() > 10_000, "vmlinux has tens of thousands of types, got " + btf);
        compare(btf, VMLINUX.toString(), List.of());
    }

    /** The test programs name every kind, so a kind that bpftool prints but the dump misses cannot hide. */
    @Test
    void testProgramsCoverEveryKind() {
        Btf btf = Btf.parse(Tool.section(TestObjects.compiled("btf_kinds", "clang-19"), ".BTF"));
        for (BtfKind kind : BtfKind.values()) {
            if (kind != BtfKind.UNKNOWN) {
                assertTrue(btf.types().stream().anyMatch(t -> t.kind() == kind), "no " + kind + " in " + btf);
            }
        }
        assertTrue(btf.types().stream().anyMatch(t -> t instanceof BtfType.Composite c && c.bitfieldEncoding()));
        assertTrue(btf.types().stream().anyMatch(t -> t instanceof BtfType.Enum64 e && e.signed()));
        assertTrue(btf.types().stream().anyMatch(t -> t instanceof BtfType.Enum e && e.signed()));
    }

    /**
     * Split BTF: a base made of the test program's types and a split blob that references them, dumped by bpftool
     * with {@code -B base}.
     */
    @Test
    void splitBtfDumpsLikeBpftool() throws IOException {
        byte[] baseBlob = Tool.section(TestObjects.compiled("btf_kinds", "clang-19"), ".BTF");
        Btf base = Btf.parse(baseBlob);
        int intId = base.find("int", BtfKind.INT).orElseThrow().id();
        int structId = base.find("everything", BtfKind.STRUCT).orElseThrow().id();
        long baseStrings = base.header().stringLength();
        BtfBlob split = new BtfBlob().stringBase(baseStrings);
        int first = base.typeCount();
        split.type(split.string("split_ptr"), BtfBlob.info(BtfKind.TYPEDEF, 0, false), first + 1);
        split.type(0, BtfBlob.info(BtfKind.PTR, 0, false), structId);
        split.type(split.string("split_pair"), BtfBlob.info(BtfKind.STRUCT, 2, false), 16);
        split.member(split.string("left"), intId, 0);
        split.member(split.string("right"), first, 64);
        byte[] splitBlob = split.build();
        Btf btf = Btf.parseSplit(splitBlob, base.order(), base);
        assertEquals(first, btf.firstId());
        assertEquals("everything", btf.resolve(btf.type(first + 1) instanceof BtfType.Ptr p ? p.type() : 0).name());
        assertEquals(16, btf.sizeof(first + 2));

        ScratchDirectory.in("btf-split", dir -> {
            Path baseFile = Files.write(dir.resolve("base.btf"), baseBlob);
            Path splitFile = Files.write(dir.resolve("split.btf"), splitBlob);
            compare(btf, splitFile.toString(), List.of("-B", baseFile.toString()));
            return null;
        });
    }

    /** Streams bpftool's dump and ours side by side, so that vmlinux's 12 MB never sit in one string. */
    private static void compare(Btf btf, String file, List<String> extra) throws IOException {
        String[] command = Stream.concat(Stream.of("bpftool", "btf", "dump", "file", file), extra.stream())
                .toArray(String[]::new);
        Process p = Tool.start(command);
        CompletableFuture<byte[]> err = Tool.stderr(p);
        int lineNumber = 0;
        try (BufferedReader oracle = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            for (BtfType type : btf.types()) {
                for (String ours : BtfDump.format(btf, type).split("\n", -1)) {
                    lineNumber++;
                    String theirs = oracle.readLine();
                    if (theirs == null) {
                        Tool.await(p, err, command);
                        fail(file + ": bpftool's dump ended before line " + lineNumber + ", ours has: " + ours);
                    }
                    if (!theirs.equals(ours)) {
                        assertEquals(theirs, ours, file + " line " + lineNumber);
                    }
                }
            }
            String rest = oracle.readLine();
            Tool.await(p, err, command);
            if (rest != null) {
                fail(file + ": bpftool prints more after line " + lineNumber + ": " + rest);
            }
        } finally {
            p.destroy();
        }
        assertTrue(lineNumber > 0, "nothing compared for " + file);
    }
}
