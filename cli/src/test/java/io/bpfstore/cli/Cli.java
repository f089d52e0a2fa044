package io.bpfstore.cli;

import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Runs the CLI in-process for tests, capturing what it prints; models the command line as {@link Main#run} does. */
final class Cli {
    /** What a run printed and returned. */
    record Result(int exit, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine(args);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** {@link ExampleObjects#dir()}; kept for CheckCommandTest, which another branch is changing. */
    static Path objectsDir() {
        return ExampleObjects.dir();
    }

    /** {@link ExampleObjects#all()}; kept for CheckCommandTest, which another branch is changing. */
    static List<Path> objects() {
        return ExampleObjects.all();
    }

    /** {@link ExternalTool#output(String...)}; kept for CheckCommandTest, which another branch is changing. */
    static String tool(String... command) {
        return ExternalTool.output(command);
    }
}
