package io.bpfstore.registry.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Escaping of text and attribute values. */
class MarkupTest {

    @Test
    void escapesEveryHtmlMetacharacter() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;",
                Markup.escape("<a href=\"x\" title='y'>&amp;</a>"));
        assertEquals("", Markup.escape(null));
    }

    @Test
    void onlyRawWritesMarkupVerbatim() {
        String built = new Markup().raw("<p>").text("<b>").link("/a?x=1&y=\"2\"", "<i>").raw("</p>").toString();
        assertEquals("<p>&lt;b&gt;<a href=\"/a?x=1&amp;y=&quot;2&quot;\">&lt;i&gt;</a></p>", built);
    }
}
