package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Folding long texts: short ones stay a paragraph, long ones keep their first sentence in view. */
class FoldTest {
    private static String render(String text) {
        Markup m = new Markup();
        Fold.text(m, "reason", text);
        return m.toString();
    }

    @Test
    void shortTextsAreParagraphsAndLongOnesFoldAfterTheirFirstSentence() {
        assertEquals("<p class=\"reason\">a &lt;short&gt; text</p>", render("  a <short> text "));
        String head = "on eth0, ssh-tx runs first and ends the chain for TCP to port 22 with XDP_TX.";
        String rest = "x".repeat(100) + " and then " + "y".repeat(100) + ".";
        assertEquals("<details class=\"fold reason\"><summary>" + head + "</summary><p>" + rest + "</p></details>",
                render(head + " " + rest));
        // no sentence end early enough: cut at the last space within the limit
        String words = "word ".repeat(80).strip();
        String folded = render(words);
        int summaryEnd = folded.indexOf("</summary>");
        String shown = folded.substring(folded.indexOf("<summary>") + 9, summaryEnd);
        assertEquals(true, shown.length() <= Fold.SHORT && shown.endsWith("word"), shown);
        assertEquals(words, shown + " " + folded.substring(summaryEnd + 13, folded.indexOf("</p></details>")));
        // a line break ends the head
        assertEquals("<details class=\"fold reason\"><summary>first line</summary><p>second line</p></details>",
                render("first line\nsecond line"));
    }
}
