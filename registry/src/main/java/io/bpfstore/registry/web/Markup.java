package io.bpfstore.registry.web;

/**
 * An HTML document under construction. Text and attribute values always go through {@link #escape}; only
 * {@link #raw} writes markup verbatim and it is meant for constant tags written in this package.
 */
final class Markup {
    private final StringBuilder out = new StringBuilder(4096);

    /** Escapes the five characters that matter in text and in quoted attribute values. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Writes constant markup. */
    Markup raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Writes escaped text. */
    Markup text(String s) {
        out.append(escape(s));
        return this;
    }

    /**
     * Writes escaped text that may break after {@code / _ . -} ({@code <wbr>}): section names, program and map
     * names wrap at their own joints on a narrow screen instead of widening a table or splitting anywhere.
     */
    Markup breakable(String s) {
        if (s == null) {
            return this;
        }
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c == '/' || c == '_' || c == '.' || c == '-') && i + 1 < s.length()) {
                text(s.substring(from, i + 1)).raw("<wbr>");
                from = i + 1;
            }
        }
        return text(s.substring(from));
    }

    /** Writes {@code <tag>text</tag>} with the text escaped. */
    Markup element(String tag, String text) {
        return raw("<" + tag + ">").text(text).raw("</" + tag + ">");
    }

    /** Writes {@code <tag class="cls">text</tag>} with the text escaped. */
    Markup element(String tag, String cls, String text) {
        return raw("<" + tag + " class=\"" + cls + "\">").text(text).raw("</" + tag + ">");
    }

    /** Writes a link; {@code href} must already be a URL this package built (its parts percent-encoded). */
    Markup link(String href, String text) {
        return raw("<a href=\"").text(href).raw("\">").text(text).raw("</a>");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
