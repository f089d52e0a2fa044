package io.bpfstore.bytecode.sections;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.testsupport.ExampleObjects;
import io.bpfstore.testsupport.ExternalTool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The program sections of the compiled example catalog ({@code bpf.objects}), as {@code llvm-objdump -h} lists
 * them: each must be a section name we know, and we must read it as libbpf does.
 */
class ExampleObjectSectionsTest {
    private static final Pattern CODE_SECTION =
            Pattern.compile("^\\s*\\d+ (\\S+)\\s+[0-9a-f]{8} [0-9a-f]{16} TEXT$");

    @Test
    void everyProgramSectionOfTheExamplesIsKnownAndReadAsLibbpfReadsIt() throws Exception {
        List<Path> objects = ExampleObjects.topLevel();
        List<String> problems = new ArrayList<>();
        for (Path object : objects) {
            for (String section : codeSections(object)) {
                if (SectionNames.lookup(section).isEmpty()) {
                    problems.add(object.getFileName() + ": section " + section + " is not a libbpf section name");
                }
                SectionNamesLibbpfTest.differences(section)
                        .forEach(d -> problems.add(object.getFileName() + ": " + d));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static List<String> codeSections(Path object) throws IOException, InterruptedException {
        String out = ExternalTool.output("llvm-objdump", "-h", object.toString());
        List<String> sections = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = CODE_SECTION.matcher(line);
            if (m.matches() && !m.group(1).equals(".text")) { // .text holds subprograms, not entry points
                sections.add(m.group(1));
            }
        }
        return sections;
    }
}
