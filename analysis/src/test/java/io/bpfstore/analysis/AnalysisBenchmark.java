package io.bpfstore.analysis;


import io.bpfstore.analysis.permissions.PermissionAnalyzer;
import io.bpfstore.analysis.summary.PacketSummarizer;
import io.bpfstore.bytecode.object.BpfObject;
import io.bpfstore.bytecode.object.Program;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Prints the analysis time of every program of the example catalog (and, with {@code -v}, its summary and
 * derived permissions). Run: {@code mvn -pl analysis -am test-compile} then
 * {@code java -cp analysis/target/classes:analysis/target/test-classes:bytecode/target/classes
 * io.bpfstore.analysis.AnalysisBenchmark [-v] [dir]}.
 */
public final class AnalysisBenchmark {
    private AnalysisBenchmark() {
    }

    /**
     * @param args {@code [-v] [dir]}; dir defaults to {@code examples/target/bpf}
     * @throws IOException if the directory cannot be read
     */
    public static void main(String[] args) throws IOException {
        boolean verbose = args.length > 0 && args[0].equals("-v");
        Path dir = Path.of(args.length > (verbose ? 1 : 0) ? args[verbose ? 1 : 0] : "examples/target/bpf");
        List<Path> objects;
        try (Stream<Path> s = Files.list(dir)) {
            objects = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        }
        int warmup = verbose ? 0 : 20, runs = verbose ? 1 : 50;
        System.out.printf("%-24s %-22s %8s %8s %12s%n", "object", "program", "insns", "visits", "ms/analysis");
        for (Path p : objects) {
            BpfObject object = BpfObject.read(p);
            for (Program program : object.programs()) {
                PacketSummarizer.Analysis a = null;
                for (int i = 0; i < warmup; i++) {
                    PacketSummarizer.analyze(object, program);
                }
                long start = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    a = PacketSummarizer.analyze(object, program);
                }
                double ms = (System.nanoTime() - start) / 1e6 / runs;
                System.out.printf("%-24s %-22s %8d %8d %12.2f%n", p.getFileName(), program.name(),
                        program.totalSlots(), a.visits(), ms);
                if (verbose) {
                    PacketSummarizer.summarize(object, program).ifPresent(s -> System.out.println(s));
                    System.out.println(PermissionAnalyzer.derive(object, program));

                }
            }
        }
    }
}
