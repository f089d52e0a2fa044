package io.bpfstore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpfstore.store.image.ControlCharacters;
import io.bpfstore.store.manifest.ManifestException;
import io.bpfstore.store.manifest.ManifestParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, item 5: an ESC sequence in a manifest field never reaches a terminal from {@code package}. */
class TerminalEscapesTest {
    @TempDir
    Path dir;

    @Test
    void controlCharactersInManifestFieldsAreRefusedNamingTheField() {
        String base = "name: x\nnamespace: acme\nversion: 1.0.0\nlicense: MIT\nobject: x.o\n";
        for (String[] c : new String[][] {
                {"description: \"clears \\e[2J the screen\"\n", "description"},
                {"authors: [\"Mallory \\e]0;title\\a\"]\n", "authors"},
                {"homepage: \"https://example.org/\\x9b31m\"\n", "homepage"}}) {
            ManifestException e = assertThrows(ManifestException.class, () -> ManifestParser.parse(base + c[0], dir),
                    c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("control character"), e.getMessage());
        }
        // a multi-line description stays fine
        ManifestParser.parse(base + "description: \"two\\nlines\\twith a tab\"\n", dir);
    }

    @Test
    void escapingShowsWhatWouldHaveBeenSent() {
        assertEquals("a\\u001b[2Jb", ControlCharacters.escape("a\u001b[2Jb"));
        assertEquals("C1 \\u009b", ControlCharacters.escape("C1 \u009b"));
        assertEquals("plain\ttext\n", ControlCharacters.escape("plain\ttext\n"));
    }
}
