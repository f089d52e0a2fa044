package io.bpfstore.bytecode.assembler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the test cases of PREVAIL's YAML test files: the small subset of YAML they use (documents separated by
 * {@code ---}, top-level keys, and under {@code code:} a map from {@code <label>} to a literal block scalar
 * ({@code |}) or a one-line value). Only the name and the code are read; the verifier states are left alone.
 */
final class PrevailCases {
    private PrevailCases() {
    }

    /**
     * One test case.
     *
     * @param file   the YAML file's name
     * @param name   the {@code test-case} value
     * @param code   label to assembly text, in file order
     * @param line   line of the {@code code:} key in the file
     */
    record Case(String file, String name, Map<String, String> code, int line) {
        /** The code as one assembly text: each block preceded by its label. */
        String text() {
            StringBuilder s = new StringBuilder();
            code.forEach((label, body) -> s.append(label).append(":\n").append(body));
            return s.toString();
        }

        /** A name for messages: file and test case. */
        String source() {
            return file + ": " + name;
        }
    }

    /** All cases of one file. */
    static List<Case> read(Path file) {
        String name = file.getFileName().toString();
        String[] lines = Corpus.read(file).split("\n", -1);
        List<Case> cases = new ArrayList<>();
        String testCase = null;
        Map<String, String> code = null;
        int codeLine = 0;
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (line.equals("---")) {
                if (testCase != null) {
                    cases.add(new Case(name, testCase, code, codeLine));
                }
                testCase = null;
                code = null;
                i++;
                continue;
            }
            if (line.startsWith("test-case:")) {
                testCase = unquote(line.substring("test-case:".length()).strip());
            } else if (line.equals("code:")) {
                code = new LinkedHashMap<>();
                codeLine = i + 1;
                i = readCode(lines, i + 1, code, name);
                continue;
            }
            i++;
        }
        if (testCase != null) {
            cases.add(new Case(name, testCase, code, codeLine));
        }
        for (Case c : cases) {
            if (c.code() == null || c.code().isEmpty()) {
                throw new AssertionError(c.source() + ": no code");
            }
        }
        return cases;
    }

    /** Reads the entries of the {@code code:} map starting at {@code i}; returns the first line after it. */
    private static int readCode(String[] lines, int i, Map<String, String> code, String file) {
        while (i < lines.length) {
            String line = lines[i];
            if (line.isBlank() || line.strip().startsWith("#")) {
                i++;
                continue;
            }
            int indent = indent(line);
            if (indent == 0) {
                return i;
            }
            String entry = line.strip();
            int colon = entry.indexOf(':');
            if (!entry.startsWith("<") || colon < 0 || entry.charAt(colon - 1) != '>') {
                throw new AssertionError(file + " line " + (i + 1) + ": unexpected entry in code: " + line);
            }
            String label = entry.substring(0, colon);
            String value = entry.substring(colon + 1).strip();
            i++;
            if (value.equals("|") || value.equals("|-") || value.equals("|+")) {
                StringBuilder body = new StringBuilder();
                int bodyIndent = -1;
                while (i < lines.length) {
                    String b = lines[i];
                    if (b.isBlank()) {
                        body.append('\n');
                        i++;
                        continue;
                    }
                    if (bodyIndent < 0) {
                        bodyIndent = indent(b);
                    }
                    if (indent(b) < bodyIndent || bodyIndent <= indent) {
                        break;
                    }
                    body.append(b.substring(bodyIndent)).append('\n');
                    i++;
                }
                code.put(label, body.toString());
            } else {
                code.put(label, unquote(value) + "\n");
            }
        }
        return i;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
