package io.bpfstore.store.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The package's single layer: a POSIX ustar archive holding one regular file at its root (mode 0644, uid/gid 0,
 * mtime 0, no user or group names), and its gzip compression with a header that carries no name and mtime 0.
 */
public final class LayerTar {
    private static final int BLOCK = 512;
    /** Longest file name a plain ustar header holds without the prefix field. */
    public static final int MAX_NAME = 100;

    private LayerTar() {
    }

    /** The uncompressed tar of one file named {@code name} with {@code content}. */
    public static byte[] tar(String name, byte[] content) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length == 0 || nameBytes.length >= MAX_NAME || name.contains("/") || name.equals("..")) {
            throw new IllegalArgumentException("layer file name \"" + name + "\" must be a plain file name under "
                    + MAX_NAME + " bytes");
        }
        byte[] header = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        octal(header, 100, 8, 0644);               // mode
        octal(header, 108, 8, 0);                  // uid
        octal(header, 116, 8, 0);                  // gid
        octal(header, 124, 12, content.length);    // size
        octal(header, 136, 12, 0);                 // mtime
        header[156] = '0';                         // regular file
        ascii(header, 257, "ustar\0");             // POSIX ustar magic, then version "00"
        ascii(header, 263, "00");
        octal(header, 329, 8, 0);                  // devmajor
        octal(header, 337, 8, 0);                  // devminor
        // The checksum is computed with its own field read as eight spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        ascii(header, 148, String.format("%06o", sum) + "\0 ");
        int padded = (content.length + BLOCK - 1) / BLOCK * BLOCK;
        byte[] tar = new byte[BLOCK + padded + 2 * BLOCK]; // two zero blocks end the archive
        System.arraycopy(header, 0, tar, 0, BLOCK);
        System.arraycopy(content, 0, tar, BLOCK, content.length);
        return tar;
    }

    /** {@code data} compressed with gzip; the JDK's header has mtime 0 and no file name. */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory", e);
        }
        return out.toByteArray();
    }

    private static void octal(byte[] header, int offset, int width, long value) {
        String digits = Long.toOctalString(value);
        ascii(header, offset, "0".repeat(width - 1 - digits.length()) + digits + "\0");
    }

    private static void ascii(byte[] header, int offset, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
