package io.bpfstore.kernel.loader;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's own account of source lines: at log level 1 and up the verifier prints the BTF line info of the
 * instructions it walks as {@code ; text @ file:line} comments. The last one before the refused instruction is
 * an oracle for the loader's line mapping.
 */
final class KernelLineComments {
    private static final Pattern COMMENT = Pattern.compile("^; (.*) @ (\\S+):(\\d+)$");

    /** One comment: the source text, the file's base name and the line. */
    record Line(String text, String file, int line) {
    }

    private KernelLineComments() {
    }

    /** The last comment before the last instruction line of {@code log}. */
    static Line atRefusal(String log) {
        Line found = null;
        Line atLastInstruction = null;
        for (String l : log.lines().toList()) {
            Matcher m = COMMENT.matcher(l);
            if (m.find()) {
                String file = m.group(2);
                found = new Line(m.group(1), file.substring(file.lastIndexOf('/') + 1), Integer.parseInt(m.group(3)));
            } else if (l.matches("^\\d+: \\([0-9a-f]{2}\\).*")) {
                atLastInstruction = found;
            }
        }
        assertTrue(atLastInstruction != null, "the kernel's log has no source comment before an instruction:\n" + log);
        return atLastInstruction;
    }
}
