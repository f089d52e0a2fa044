package io.bpfstore.registry.web;

/**
 * Long texts on a page (a clash's reasoning, its fix) folded to their first sentence, with the rest behind a
 * {@code <details>} the reader opens; short ones stay a paragraph. No script: the browser does the folding.
 */
final class Fold {
    /** Texts up to this many characters (about four lines on a phone) are shown whole. */
    static final int SHORT = 160;
    /** The visible head is cut at a sentence end or a space between these many characters. */
    private static final int MIN_HEAD = 60;

    private Fold() {
    }

    /**
     * Appends {@code text} as {@code <p class="cls">}, or, when long, as {@code <details class="fold cls">} whose
     * summary is the head and whose paragraph is the rest (head + " " + rest is the text, whitespace aside).
     */
    static void text(Markup m, String cls, String text) {
        String t = text.strip();
        int cut = cut(t);
        if (cut < 0) {
            m.element("p", cls, t);
            return;
        }
        m.raw("<details class=\"fold " + cls + "\"><summary>").text(t.substring(0, cut).strip()).raw("</summary><p>")
                .text(t.substring(cut).strip()).raw("</p></details>");
    }

    /** Where the head ends, or -1 if the text is short enough to show whole. */
    static int cut(String t) {
        int newline = t.indexOf('\n');
        if (t.length() <= SHORT && newline < 0) {
            return -1;
        }
        if (newline >= 0 && newline <= SHORT) {
            return newline;
        }
        for (int i = Math.min(SHORT, t.length() - 1); i >= MIN_HEAD; i--) {
            char c = t.charAt(i - 1);
            if ((c == '.' || c == ';' || c == ':') && Character.isWhitespace(t.charAt(i))) {
                return i;
            }
        }
        int space = t.lastIndexOf(' ', SHORT);
        return space > 0 ? space : SHORT;
    }
}
