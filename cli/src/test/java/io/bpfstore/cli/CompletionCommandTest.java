package io.bpfstore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion scripts are valid in their shells and complete commands and options (the shells are the oracle). */
class CompletionCommandTest {
    @TempDir
    Path dir;

    private Path script(String shell) throws Exception {
        Cli.Result r = Cli.run("completion", shell);
        assertEquals(0, r.exit(), r.err());
        Path file = dir.resolve("bpfstore." + shell);
        Files.writeString(file, r.out());
        return file;
    }

    @Test
    void bashCompletesSubcommandsAndOptions() throws Exception {
        Path file = script("bash");
        String words = ExternalTool.output("bash", "-c", "source " + file + "; COMP_WORDS=(bpfstore ins); COMP_CWORD=1; "
                + "_complete_bpfstore; echo ${COMPREPLY[@]}").strip();
        assertEquals(List.of("inspect", "install"), List.of(words.split(" ")));
        String options = ExternalTool.output("bash", "-c", "source " + file + "; COMP_WORDS=(bpfstore pull --al); "
                + "COMP_CWORD=2; _complete_bpfstore; echo ${COMPREPLY[@]}").strip();
        assertEquals(java.util.Set.of("--allow-unsigned", "--allow-downgrade"), java.util.Set.of(options.split(" ")));
    }

    @Test
    void zshAndFishAcceptTheirScripts() throws Exception {
        ExternalTool.output("zsh", "-n", script("zsh").toString());
        Path fish = script("fish");
        ExternalTool.output("fish", "-n", fish.toString());
        String offered = ExternalTool.output("fish", "-c", "source " + fish + "; complete -C 'bpfstore ins'");
        assertTrue(offered.contains("inspect\t") && offered.contains("install\t"), offered);
        String options = ExternalTool.output("fish", "-c", "source " + fish + "; complete -C 'bpfstore pull --al'");
        assertTrue(options.contains("--allow-unsigned"), options);
    }

    @Test
    void anUnknownShellIsAUsageError() {
        Cli.Result r = Cli.run("completion", "tcsh");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("tcsh"), r.err());
    }
}
