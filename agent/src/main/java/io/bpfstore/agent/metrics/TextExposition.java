package io.bpfstore.agent.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * The Prometheus text format (version 0.0.4) written straight into a byte buffer kept between scrapes: HELP and TYPE
 * lines, samples with label sets escaped once and kept by the caller, integer values written as integers and
 * nanoseconds as exact decimal seconds. A thousand installations make ~5,000 samples; building them as the client
 * library's snapshot objects and formatting those cost more than reading the kernel.
 *
 * <p>An {@link OutputStream} too, so the client library's writer can append the series it keeps (the event counts).
 */
final class TextExposition extends OutputStream {
    private byte[] buf = new byte[64 * 1024];
    private int size;
    private int familyStart = -1;
    private int familyHeaderEnd;

    /** Empties the buffer (keeping its memory) for the next scrape. */
    void reset() {
        size = 0;
        familyStart = -1;
    }

    /** The bytes written so far: {@code bytes()[0 .. size())}; valid until the next write. */
    byte[] bytes() {
        return buf;
    }

    /** How many bytes are written. */
    int size() {
        return size;
    }

    /**
     * Starts a metric family: its HELP and TYPE lines. A family that gets no sample before the next one starts, or
     * before {@link #endFamily}, is taken back out (the client library writes no empty family either).
     */
    void family(String name, String type, String help) {
        endFamily();
        familyStart = size;
        ascii("# HELP ").ascii(name).ascii(" ").ascii(help).ascii("\n# TYPE ").ascii(name).ascii(" ").ascii(type)
                .ascii("\n");
        familyHeaderEnd = size;
    }

    /** Ends the family begun last, taking its header out if it got no sample. */
    void endFamily() {
        if (familyStart >= 0 && size == familyHeaderEnd) {
            size = familyStart;
        }
        familyStart = -1;
    }

    /** One sample with an integer value: {@code name labels value}. */
    void sample(byte[] name, byte[] labels, long value) {
        bytes(name).bytes(labels).put((byte) ' ').decimal(value).put((byte) '\n');
    }

    /** One sample whose value is {@code nanos} nanoseconds written as seconds, exactly (nine decimals). */
    void sampleSeconds(byte[] name, byte[] labels, long nanos) {
        bytes(name).bytes(labels).put((byte) ' ');
        if (nanos < 0) {
            put((byte) '-');
            nanos = -nanos;
        }
        decimal(nanos / 1_000_000_000L).put((byte) '.');
        long fraction = nanos % 1_000_000_000L;
        for (long digit = 100_000_000L; digit > 0; digit /= 10) {
            put((byte) ('0' + fraction / digit % 10));
        }
        put((byte) '\n');
    }

    /**
     * A label set {@code {name="value",...}} from alternating names and values, in the order of the names (as the
     * client library writes them), escaped as the format asks (backslash, double quote and line feed in values),
     * UTF-8: made once per installation and kept.
     */
    static byte[] labels(String... namesAndValues) {
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            sorted.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        StringBuilder b = new StringBuilder("{");
        for (Map.Entry<String, String> label : sorted.entrySet()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(label.getKey()).append("=\"");
            String v = label.getValue();
            for (int c = 0; c < v.length(); c++) {
                char ch = v.charAt(c);
                switch (ch) {
                    case '\\' -> b.append("\\\\");
                    case '"' -> b.append("\\\"");
                    case '\n' -> b.append("\\n");
                    default -> b.append(ch);
                }
            }
            b.append('"');
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A metric name as bytes (ASCII by Prometheus's naming rules). */
    static byte[] name(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    private TextExposition ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    private TextExposition bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    private TextExposition put(byte b) {
        ensure(1);
        buf[size++] = b;
        return this;
    }

    private TextExposition decimal(long v) {
        if (v == Long.MIN_VALUE) {
            return ascii(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            buf[size++] = '-';
            v = -v;
        }
        int start = size;
        do {
            buf[size++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    @Override
    public void write(int b) {
        put((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    /** Copies what was written to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }
}
