package io.bpfstore.kernel.loader;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a verifier log says at its end: the last instruction printed ({@code 12: (71) r3 = ...}) and the reason,
 * which the kernel prints after it and before its statistics ({@code processed N insns ...}).
 *
 * @param lastInstruction index of the last instruction line, if any
 * @param reason          the lines after it, joined with "; " (source comments and statistics left out)
 */
record VerifierLog(OptionalInt lastInstruction, String reason) {
    private static final Pattern INSTRUCTION = Pattern.compile("^(\\d+): \\((?:[0-9a-f]{2})\\)");
    private static final Pattern STATE = Pattern.compile("^(\\d+): (?:R\\d|frame|\\()");

    static VerifierLog parse(String log) {
        List<String> lines = log.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        int last = -1;
        OptionalInt insn = OptionalInt.empty();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = INSTRUCTION.matcher(lines.get(i));
            if (m.find()) {
                last = i;
                insn = OptionalInt.of(Integer.parseInt(m.group(1)));
            }
        }
        StringBuilder reason = new StringBuilder();
        for (int i = last + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("processed ") || l.startsWith("verification time") || l.startsWith("stack depth")
                    || l.startsWith(";") || l.startsWith("cur state:") || l.startsWith("old state:") || l.startsWith("func#") || l.startsWith("Func#") || STATE.matcher(l).find()) {
                continue;
            }
            if (!reason.isEmpty()) {
                reason.append("; ");
            }
            reason.append(l);
        }
        if (reason.isEmpty() && !lines.isEmpty()) {
            // no instruction line (e.g. a BTF or func_info error): the last meaningful line is the reason
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                if (!l.startsWith("processed ") && !l.startsWith("verification time")) {
                    reason.append(l);
                    break;
                }
            }
        }
        return new VerifierLog(insn, reason.toString());
    }
}
