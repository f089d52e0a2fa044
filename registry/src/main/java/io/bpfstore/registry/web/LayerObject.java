package io.bpfstore.registry.web;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The object file inside a package layer (a gzip'd ustar archive holding one regular file at its root).
 *
 * @param fileName the file's name in the archive
 * @param bytes    its content
 */
public record LayerObject(String fileName, byte[] bytes) {
    private static final int BLOCK = 512;

    /**
     * Reads the first regular file of the gzip'd tar {@code in}, refusing anything larger than {@code maxBytes}
     * uncompressed (a hostile layer can be a gzip bomb) and any header that does not parse.
     */
    public static LayerObject read(InputStream in, long maxBytes) throws IOException, LayerException {
        try (InputStream gz = new GZIPInputStream(in)) {
            long offset = 0;
            while (true) {
                byte[] header = gz.readNBytes(BLOCK);
                if (header.length < BLOCK || isZero(header)) {
                    throw new LayerException("layer tar: no regular file before the end of the archive at offset "
                            + offset);
                }
                String name = cString(header, 0, 100);
                long size = octal(header, 124, 12, offset);
                byte kind = header[156];
                offset += BLOCK;
                if (size < 0 || size > maxBytes) {
                    throw new LayerException("layer tar: entry \"" + name + "\" at offset " + (offset - BLOCK)
                            + " has size " + size + ", over the " + maxBytes + "-byte limit");
                }
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (kind == '0' || kind == 0) {
                    byte[] content = gz.readNBytes((int) size);
                    if (content.length < size) {
                        throw new LayerException("layer tar: entry \"" + name + "\" at offset " + offset
                                + " is cut short after " + content.length + " of " + size + " bytes");
                    }
                    String base = name.substring(name.lastIndexOf('/') + 1);
                    if (base.isEmpty()) {
                        throw new LayerException("layer tar: regular file at offset " + (offset - BLOCK)
                                + " has no name");
                    }
                    return new LayerObject(base, content);
                }
                try {
                    gz.skipNBytes(padded);
                } catch (EOFException e) {
                    throw new LayerException("layer tar: archive ends inside entry \"" + name + "\"");
                }
                offset += padded;
            }
        } catch (ZipException e) {
            throw new LayerException("layer gzip: " + e.getMessage());
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

    private static long octal(byte[] b, int from, int len, long headerOffset) throws LayerException {
        long v = 0;
        int i = from;
        while (i < from + len && b[i] == ' ') {
            i++;
        }
        int digits = 0;
        for (; i < from + len && b[i] >= '0' && b[i] <= '7'; i++) {
            v = v * 8 + (b[i] - '0');
            digits++;
            if (digits > 11) {
                throw new LayerException("layer tar: size field at offset " + (headerOffset + from) + " is too long");
            }
        }
        if (digits == 0) {
            throw new LayerException("layer tar: size field at offset " + (headerOffset + from) + " is not octal");
        }
        return v;
    }
}
