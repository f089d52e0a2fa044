package io.bpfstore.store.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reading key files: bounded size, and a directory of trusted public keys. */
public final class KeyFiles {
    /** Most trusted keys read from one directory. */
    public static final int MAX_TRUSTED = 256;

    private KeyFiles() {
    }

    /** The text of a key file, refusing anything larger than {@link Pem#MAX_TEXT}. */
    static String readText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(Pem.MAX_TEXT + 1);
            if (bytes.length > Pem.MAX_TEXT) {
                throw new KeyException(file.toString(), "larger than " + Pem.MAX_TEXT + " bytes: not a key file");
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // worded for a user: the exception's class name says nothing to them
            throw new KeyException(file.toString(), e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Every {@code *.pub} and {@code *.pem} public key in {@code dir} (none when it does not exist). A malformed
     * file is an error, not skipped: a silently ignored trusted key would turn into a confusing refusal later.
     */
    public static List<TrustedKey> trustedKeys(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".pub") || p.toString().endsWith(".pem"))
                    .sorted().limit(MAX_TRUSTED + 1).toList();
            if (files.size() > MAX_TRUSTED) {
                throw new KeyException(dir.toString(), "more than " + MAX_TRUSTED + " trusted keys");
            }
            List<TrustedKey> keys = new ArrayList<>();
            for (Path f : files) {
                keys.add(TrustedKey.read(f));
            }
            return keys;
        } catch (IOException e) {
            throw new KeyException(dir.toString(), "cannot list trusted keys: " + e, e);
        }
    }
}
