package io.bpfstore.store.client;

import java.io.PrintStream;

/**
 * A one-line transfer progress bar on stderr, drawn only when stderr is a terminal ({@code System.console()}
 * is not null), so scripts and logs see nothing. Redraws at most ten times a second.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private String label = "";
    private long total;
    private long done;
    private long lastDraw;

    private ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** A bar on stderr when it is a terminal, otherwise a silent one. */
    public static ProgressBar forStderr() {
        return new ProgressBar(System.console() != null ? System.err : null);
    }

    /** A bar that draws nothing. */
    public static ProgressBar silent() {
        return new ProgressBar(null);
    }

    /** Starts a transfer of {@code total} bytes named {@code label}. */
    public void start(String label, long total) {
        this.label = label;
        this.total = Math.max(total, 0);
        this.done = 0;
        this.lastDraw = 0;
        draw(true);
    }

    /** Records {@code n} more bytes transferred. */
    public void advance(long n) {
        done += n;
        draw(false);
    }

    /** Ends the current transfer (the line stays, complete). */
    public void finish() {
        done = Math.max(done, total);
        draw(true);
        if (out != null) {
            out.println();
        }
    }

    private void draw(boolean force) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        int percent = total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "% "
                + human(done) + "/" + human(total));
        out.flush();
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
