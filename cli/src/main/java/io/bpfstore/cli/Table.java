package io.bpfstore.cli;

import io.bpfstore.store.image.ControlCharacters;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table with left-aligned columns sized to their widest cell. Cells often carry text from packages, so
 * each is escaped ({@link ControlCharacters#escape}) before it is measured and printed.
 */
final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    /** Adds a row; it must have as many cells as the header. */
    void row(String... cells) {
        if (cells.length != header.length) {
            throw new IllegalArgumentException("row of " + cells.length + " cells, header has " + header.length);
        }
        String[] escaped = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            escaped[i] = ControlCharacters.escape(cells[i]);
        }
        rows.add(escaped);
    }

    /** Prints the header and rows; prints "(none)" under the header when there are no rows. */
    void print(PrintWriter out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, header, width);
        for (String[] r : rows) {
            line(out, r, width);
        }
        if (rows.isEmpty()) {
            out.println("(none)");
        }
    }

    private static void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(cells[i]);
            if (i < cells.length - 1) {
                b.append(" ".repeat(width[i] - cells[i].length() + 2));
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
