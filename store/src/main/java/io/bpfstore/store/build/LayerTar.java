package io.bpfstore.store.build;

import io.bpfstore.store.image.InvalidImageException;
import io.bpfstore.store.manifest.ManifestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
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
            throw new ManifestException("object", "layer file name \"" + name + "\" must be a plain file name under "
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

    /**
     * One file read back from a layer.
     *
     * @param name    the file's name (its last path segment)
     * @param content its bytes
     */
    public record Entry(String name, byte[] content) {
        /** Copies the bytes. */
        public Entry {
            content = content.clone();
        }

        /** The bytes (a copy). */
        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /**
     * The first regular file of the gzip'd tar {@code layer}; refuses ({@link InvalidImageException}) an entry
     * larger than {@code maxBytes} (a layer may be a gzip bomb), a header that does not parse and an archive
     * without a regular file. Reads archives made by other tools too (directories and links are stepped over).
     */
    public static Entry read(byte[] layer, long maxBytes) {
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(layer))) {
            long offset = 0;
            while (true) {
                byte[] header = gz.readNBytes(BLOCK);
                if (header.length < BLOCK || isZero(header)) {
                    throw new InvalidImageException("layer", "no regular file before the end of the archive at "
                            + "offset " + offset);
                }
                String name = cString(header, 0, 100);
                long size = parseOctal(header, 124, 12, offset);
                byte kind = header[156];
                offset += BLOCK;
                if (size > maxBytes) {
                    throw new InvalidImageException("layer", "entry \"" + name + "\" at offset " + (offset - BLOCK)
                            + " has " + size + " bytes, over the " + maxBytes + "-byte limit");
                }
                if (kind == '0' || kind == 0) {
                    byte[] content = gz.readNBytes((int) size);
                    String base = name.substring(name.lastIndexOf('/') + 1);
                    if (content.length < size || base.isEmpty()) {
                        throw new InvalidImageException("layer", "entry \"" + name + "\" at offset " + offset
                                + (base.isEmpty() ? " has no file name"
                                        : " is cut short after " + content.length + " of " + size + " bytes"));
                    }
                    return new Entry(base, content);
                }
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                gz.skipNBytes(padded);
                offset += padded;
            }
        } catch (EOFException e) {
            throw new InvalidImageException("layer", "the archive ends inside an entry");
        } catch (IOException e) {
            throw new InvalidImageException("layer", "not a gzip'd tar: " + e.getMessage());
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int from, int len) {
        int end = from;
        while (end < from + len && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] b, int from, int len, long headerOffset) {
        long v = 0;
        int i = from;
        while (i < from + len && b[i] == ' ') {
            i++;
        }
        int digits = 0;
        for (; i < from + len && b[i] >= '0' && b[i] <= '7'; i++) {
            v = v * 8 + (b[i] - '0');
            if (++digits > 11) {
                throw new InvalidImageException("layer", "tar size field at offset " + (headerOffset + from)
                        + " is too long");
            }
        }
        if (digits == 0) {
            throw new InvalidImageException("layer", "tar size field at offset " + (headerOffset + from)
                    + " is not octal");
        }
        return v;
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
