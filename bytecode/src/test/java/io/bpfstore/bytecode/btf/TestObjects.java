package io.bpfstore.bytecode.btf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The eBPF objects the BTF tests run over: every {@code .o} under the {@code bpf.objects} directory (the example
 * catalog, whatever it holds today) and the C programs under {@code src/test/resources/btf}, compiled once per
 * test run with clang 14 and clang 19 into a temporary directory, and once more big-endian ({@code bpfeb}) so that
 * the other byte order meets the same oracles.
 */
final class TestObjects {
    /** The compilers the purpose-written programs are built with: Debian's default (14) and a recent one. */
    static final List<String> COMPILERS = List.of("clang", "clang-19");

    /** The compiler that also builds the big-endian variant, named {@code <program>-<compiler>-bpfeb.o}. */
    static final String BIG_ENDIAN_COMPILER = "clang-19";

    private static List<Path> compiled;

    private TestObjects() {
    }

    /** Every object: the catalog's and the compiled test programs. */
    static synchronized List<Path> all() {
        List<Path> all = new ArrayList<>(ExampleObjects.all());
        all.addAll(compiled());
        return all;
    }

    /** The objects that have a {@code .BTF} section. */
    static List<Path> withBtf() {
        List<Path> objects = all().stream().filter(o -> Tool.sectionNames(o).contains(".BTF")).toList();
        assertTrue(objects.size() >= COMPILERS.size(), "expected the compiled test programs to carry .BTF");
        return objects;
    }

    /** The test programs compiled with every compiler in {@link #COMPILERS}. */
    static synchronized List<Path> compiled() {
        if (compiled == null) {
            compiled = compile();
        }
        return compiled;
    }

    /** A compiled test program by source name and compiler, e.g. {@code ("btf_kinds", "clang-19")}. */
    static Path compiled(String program, String compiler) {
        return compiled().stream()
                .filter(p -> p.getFileName().toString().equals(program + "-" + compiler + ".o"))
                .findFirst().orElseThrow();
    }

    private static List<Path> compile() {
        try {
            Path sources = Path.of(TestObjects.class.getResource("/btf/btf_kinds.c").toURI()).getParent();
            Path out = Files.createTempDirectory("btf-objects");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(out)));
            String arch = switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64" -> "x86_64";
                case "aarch64", "arm64" -> "aarch64";
                default -> System.getProperty("os.arch");
            };
            List<Path> objects = new ArrayList<>();
            List<Path> cFiles;
            try (Stream<Path> files = Files.list(sources)) {
                cFiles = files.filter(p -> p.toString().endsWith(".c")).sorted().toList();
            }
            for (Path c : cFiles) {
                String stem = c.getFileName().toString().replaceFirst("\\.c$", "");
                for (String compiler : COMPILERS) {
                    Path o = out.resolve(stem + "-" + compiler + ".o");
                    ExternalTool.output(compiler, "-O2", "-g", "-target", "bpf", "-I/usr/include/" + arch + "-linux-gnu",
                            "-c", c.toString(), "-o", o.toString());
                    objects.add(o);
                }
                Path eb = out.resolve(stem + "-" + BIG_ENDIAN_COMPILER + "-bpfeb.o");
                ExternalTool.output(BIG_ENDIAN_COMPILER, "-O2", "-g", "-target", "bpfeb",
                        "-I/usr/include/" + arch + "-linux-gnu", "-c", c.toString(), "-o", eb.toString());
                objects.add(eb);
            }
            return List.copyOf(objects);
        } catch (IOException | URISyntaxException e) {
            throw new AssertionError("compiling the BTF test programs", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
